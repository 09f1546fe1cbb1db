using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Core;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Tests.Core;

/// <summary>A <see cref="CachingProxy"/> over a <see cref="FakeBackend"/>, with the settings a test asks for.</summary>
internal sealed class CoreUnderTest : IDisposable
{
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public CoreUnderTest(int slots = 11, int queued = 1000, int timeoutMilliseconds = 5000, int capacity = 100)
    {
        var settings = Options.Create(new ProxyOptions
        {
            MaxConcurrentRequests = slots,
            MaxQueuedRequests = queued,
            BackendTimeout = TimeSpan.FromMilliseconds(timeoutMilliseconds),
            CacheCapacity = capacity,
        });
        Gate = new BackendGate(settings);
        Proxy = new CachingProxy(settings, Backend, Gate, new ProxyMetrics(_meters.GetRequiredService<IMeterFactory>()), Time);
    }

    public FakeBackend Backend { get; } = new();

    public FakeTimeProvider Time { get; } = new();

    public BackendGate Gate { get; }

    public CachingProxy Proxy { get; }

    /// <summary>The value the proxy answers for the key, and where from; null when absent.</summary>
    public async Task<(string? Value, ReadSource Source)> ReadAsync(string key)
    {
        var read = await Proxy.GetAsync(FakeBackend.Bytes(key), CancellationToken.None);
        return (read.Found ? FakeBackend.Text(read.Value.Span) : null, read.Source);
    }

    public Task WriteAsync(string key, string value) =>
        Proxy.SetAsync(FakeBackend.Bytes(key), FakeBackend.Bytes(value), CancellationToken.None);

    /// <summary>Whether the cache holds the key, without counting a hit or reading through.</summary>
    public bool IsCached(string key) =>
        Proxy.Describe().KeysLeastRecentFirst.Any(k => FakeBackend.Text(k) == key);

    public void Dispose()
    {
        Gate.Dispose();
        _meters.Dispose();
    }
}
