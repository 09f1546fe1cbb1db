using System.Diagnostics.Metrics;

namespace RedisProxy.Api.Telemetry;

/// <summary>
/// The proxy's instruments (System.Diagnostics.Metrics; exported by ServiceDefaults' OpenTelemetry, so the Aspire
/// dashboard shows them), recorded where things happen. The gauges that observe the core are <c>Core/CoreGauges</c>.
/// </summary>
internal sealed class ProxyMetrics
{
    private static readonly string[] DoorNames = ["http", "resp"];
    private static readonly string[] ResultNames = ["hit", "miss_found", "miss_absent", "error"];

    private readonly Counter<long> _reads;
    private readonly Counter<long> _writes;
    private readonly Histogram<double> _backendDuration;

    public ProxyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ProxyTelemetry.Name);
        _reads = meter.CreateCounter<long>("redisproxy.reads", "{read}", "Key reads by front door and result.");
        _writes = meter.CreateCounter<long>("redisproxy.writes", "{write}", "Write-through SETs and DELs by front door.");
        _backendDuration = meter.CreateHistogram<double>("redisproxy.backend.duration", "s", "Time of each backend call, by operation and outcome.");
    }

    /// <summary>Counts <paramref name="reads"/> key reads (a batch that fails, fails each of its keys) with one result.</summary>
    public void Read(FrontDoor door, ReadResult result, int reads = 1)
    {
        // Checked first: a hit costs tens of nanoseconds, and nobody may be listening.
        if (_reads.Enabled)
        {
            _reads.Add(reads, new KeyValuePair<string, object?>("door", DoorNames[(int)door]), new KeyValuePair<string, object?>("result", ResultNames[(int)result]));
        }
    }

    public void Write(FrontDoor door, string operation) =>
        _writes.Add(1, new KeyValuePair<string, object?>("door", DoorNames[(int)door]), new KeyValuePair<string, object?>("operation", operation));

    public void BackendCall(string operation, string outcome, TimeSpan duration) =>
        _backendDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));
}
