using RedisProxy.Api.Invalidation;

namespace RedisProxy.Api.Status;

/// <summary>What <c>GET /status</c> on the management port answers: the shape of the proxy, never a value or a secret.</summary>
internal sealed record StatusReport(
    string Instance,
    double UptimeSeconds,
    BackendStatus Backend,
    CacheStatus Cache,
    InvalidationStatus Invalidation,
    MemoryStatus Memory);

/// <summary>
/// The backing Redis as the proxy's connection sees it: its endpoints (host and port only) and whether they answer;
/// and the proxy's own load on it: requests holding a backend slot (MAX_CONCURRENT_REQUESTS), waiting for one
/// (MAX_QUEUED_REQUESTS), and refused since start because the queue was full or no slot came free in time.
/// </summary>
internal sealed record BackendStatus(
    bool Connected, IReadOnlyList<BackendEndpointStatus> Endpoints, long InFlight, long Queued, long Rejected, PinnedStatus Pinned);

/// <summary>
/// The backend connections clients hold for themselves (transactions, subscribers, blocking commands): held now, the
/// most that may be (MAX_PINNED_CONNECTIONS), opened since start, and clients refused one because all were held.
/// </summary>
internal sealed record PinnedStatus(int InUse, int Limit, long Opened, long Refused);

internal sealed record BackendEndpointStatus(string Endpoint, bool Connected);

/// <summary>The local cache: occupancy and the counters since start; <c>HitRatio</c> is null before the first lookup.</summary>
internal sealed record CacheStatus(
    int Entries, int Capacity, long Hits, long Misses, double? HitRatio, long Evictions, long Expirations);

/// <summary>
/// CACHE_INVALIDATION, whether Redis is currently sending invalidations for every key, and each primary's channel:
/// while one is down, its keys are not cached.
/// </summary>
internal sealed record InvalidationStatus(string Mode, bool Active, IReadOnlyList<InvalidationChannelState> Channels);

/// <summary>
/// The managed heap, to see whether memory settles under load: all of it now, garbage included
/// (<c>GC.GetTotalMemory(false)</c>); its size after the last collection of any kind, which swings with the garbage
/// and free space waiting in generation 2; and what survived the last full collection, the steady measure of what is
/// live. With how many collections, and full ones, have run.
/// </summary>
internal sealed record MemoryStatus(
    long ManagedHeapBytes, long HeapSizeAfterLastGcBytes, long LiveBytesAfterLastFullGc, int Collections, int FullCollections);
