using System.Collections.Concurrent;
using System.Diagnostics;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Tests.Telemetry;

/// <summary>
/// Collects the proxy's spans as they end. A listener hears every span of the process, so the test classes that
/// count spans share one collection and never run at the same time.
/// </summary>
internal sealed class SpanListeners : IDisposable
{
    public const string Collection = "proxy span listeners";

    private readonly ActivityListener _listener;

    public SpanListeners()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProxyTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans in the order they ended.</summary>
    public ConcurrentQueue<Activity> Stopped { get; } = new();

    public void Dispose() => _listener.Dispose();
}
