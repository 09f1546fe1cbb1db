using System.Diagnostics.Metrics;
using RedisProxy.Api.Backend.Pinned;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Core;

/// <summary>
/// The gauges and counters observed from the core (the cache's occupancy and counters, the backend gate's load),
/// published on the proxy's meter beside <see cref="ProxyMetrics"/>. Created once at start-up; the meter calls back
/// only while something listens.
/// </summary>
internal sealed class CoreGauges
{
    public CoreGauges(IMeterFactory meterFactory, CachingProxy proxy, BackendGate gate, PinnedConnectionPool pinned)
    {
        var meter = meterFactory.Create(ProxyTelemetry.Name);
        meter.CreateObservableGauge("redisproxy.cache.entries", () => proxy.CachedKeys, "{entry}", "Entries in the local cache.");
        meter.CreateObservableGauge("redisproxy.cache.capacity", () => proxy.Capacity, "{entry}", "Most entries the local cache holds.");
        meter.CreateObservableCounter("redisproxy.cache.evictions", () => proxy.Statistics.Evictions, "{entry}", "Entries evicted to make room.");
        meter.CreateObservableCounter("redisproxy.cache.expirations", () => proxy.Statistics.Expirations, "{entry}", "Entries dropped because they expired.");
        meter.CreateObservableGauge("redisproxy.backend.in_flight", () => gate.InFlight, "{request}", "Requests holding a backend slot.");
        meter.CreateObservableGauge("redisproxy.backend.queued", () => gate.Queued, "{request}", "Requests waiting for a backend slot.");
        meter.CreateObservableCounter("redisproxy.backend.rejected", () => gate.Rejected, "{request}", "Requests refused: every backend slot busy and the queue full, or the wait too long.");
        meter.CreateObservableGauge("redisproxy.pinned.in_use", () => pinned.InUse, "{connection}", "Backend connections held by clients (transactions, subscribers, blocking commands).");
        meter.CreateObservableCounter("redisproxy.pinned.opened", () => pinned.Opened, "{connection}", "Pinned backend connections opened (lending an idle one opens none).");
        meter.CreateObservableCounter("redisproxy.pinned.refused", () => pinned.Refused, "{request}", "Clients refused a pinned connection: MAX_PINNED_CONNECTIONS were lent.");
    }
}
