using System.Diagnostics.Metrics;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Core;

namespace RedisProxy.Api.Telemetry;

/// <summary>
/// The proxy's instruments (System.Diagnostics.Metrics; exported by ServiceDefaults' OpenTelemetry, so the Aspire
/// dashboard shows them). Counters are recorded where things happen; cache figures are observed from the cache.
/// </summary>
internal sealed class ProxyMetrics
{
    private static readonly string[] DoorNames = ["http", "resp"];
    private static readonly string[] ResultNames = ["hit", "miss_found", "miss_absent", "error"];

    private readonly Counter<long> _reads;
    private readonly Counter<long> _writes;
    private readonly Histogram<double> _backendDuration;

    public ProxyMetrics(IMeterFactory meterFactory, LruCache cache, BackendGate gate)
    {
        var meter = meterFactory.Create(ProxyTelemetry.Name);
        _reads = meter.CreateCounter<long>("redisproxy.reads", "{read}", "Key reads by front door and result.");
        _writes = meter.CreateCounter<long>("redisproxy.writes", "{write}", "Write-through SETs and DELs by front door.");
        _backendDuration = meter.CreateHistogram<double>("redisproxy.backend.duration", "s", "Time of each backend call, by operation and outcome.");

        meter.CreateObservableGauge("redisproxy.cache.entries", () => cache.Count, "{entry}", "Entries in the local cache.");
        meter.CreateObservableGauge("redisproxy.cache.capacity", () => cache.Capacity, "{entry}", "Most entries the local cache holds.");
        meter.CreateObservableCounter("redisproxy.cache.evictions", () => cache.Statistics.Evictions, "{entry}", "Entries evicted to make room.");
        meter.CreateObservableCounter("redisproxy.cache.expirations", () => cache.Statistics.Expirations, "{entry}", "Entries dropped because they expired.");
        meter.CreateObservableGauge("redisproxy.backend.in_flight", () => gate.InFlight, "{request}", "Requests holding a backend slot.");
        meter.CreateObservableGauge("redisproxy.backend.queued", () => gate.Queued, "{request}", "Requests waiting for a backend slot.");
        meter.CreateObservableCounter("redisproxy.backend.rejected", () => gate.Rejected, "{request}", "Requests refused: every backend slot busy and the queue full, or the wait too long.");
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
