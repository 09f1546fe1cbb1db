using System.Diagnostics;
using System.Globalization;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Backend.Pinned;
using RedisProxy.Api.Core;
using RedisProxy.Api.Invalidation;
using StackExchange.Redis;

namespace RedisProxy.Api.Status;

/// <summary>
/// <c>GET /status</c>: a small JSON report for operators and load balancers' dashboards. Mapped with the health
/// endpoints, so it is served on the management port only.
/// </summary>
internal static class StatusEndpoint
{
    public const string Path = "/status";

    // Distinguishes replicas on one host (and processes across restarts) in the report.
    private static readonly string Instance = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}");

    public static IEndpointRouteBuilder MapProxyStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, static (BackendConnections connections, BackendGate gate, PinnedConnectionPool pinned, CachingProxy proxy, CacheInvalidationState invalidation) =>
            TypedResults.Json(Describe(connections.Shared, gate, pinned, proxy, invalidation), StatusJsonContext.Default.StatusReport));
        return endpoints;
    }

    private static StatusReport Describe(IConnectionMultiplexer redis, BackendGate gate, PinnedConnectionPool pinned, CachingProxy proxy, CacheInvalidationState invalidation)
    {
        using var process = Process.GetCurrentProcess();
        var uptime = DateTime.Now - process.StartTime;
        var statistics = proxy.Statistics;
        var lookups = statistics.Hits + statistics.Misses;

        return new StatusReport(
            Instance,
            Math.Round(uptime.TotalSeconds, 3),
            DescribeBackend(redis, gate, pinned),
            new CacheStatus(
                proxy.CachedKeys,
                proxy.Capacity,
                statistics.Hits,
                statistics.Misses,
                lookups == 0 ? null : Math.Round((double)statistics.Hits / lookups, 4),
                statistics.Evictions,
                statistics.Expirations),
            new InvalidationStatus(invalidation.Mode.ToString().ToLowerInvariant(), invalidation.IsActive, invalidation.Channels),
            DescribeMemory());
    }

    // Reads the figures the runtime already keeps; forces no collection, so asking is cheap and changes nothing.
    private static MemoryStatus DescribeMemory() =>
        new(
            GC.GetTotalMemory(forceFullCollection: false),
            GC.GetGCMemoryInfo().HeapSizeBytes,
            // What a full collection promoted is everything that survived it: the live heap, without free space.
            LastFullCollection().PromotedBytes,
            GC.CollectionCount(0),
            GC.CollectionCount(2));

    // A full collection is either blocking or background (concurrent); the later of the two is the last one.
    private static GCMemoryInfo LastFullCollection()
    {
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        return blocking.Index >= background.Index ? blocking : background;
    }

    private static BackendStatus DescribeBackend(IConnectionMultiplexer redis, BackendGate gate, PinnedConnectionPool pinned)
    {
        var endpoints = redis.GetEndPoints()
            .Select(endpoint => new BackendEndpointStatus(BackendEndPoints.HostAndPort(endpoint), redis.GetServer(endpoint).IsConnected))
            .ToList();
        return new BackendStatus(
            redis.IsConnected, endpoints, gate.InFlight, gate.Queued, gate.Rejected, new PinnedStatus(pinned.InUse, pinned.Limit, pinned.Opened, pinned.Refused));
    }
}
