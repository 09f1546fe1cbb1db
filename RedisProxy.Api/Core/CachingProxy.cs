using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Failures;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Core;

/// <summary>
/// The one core both front doors call, and the only door to the local cache: reads answered from the cache or read
/// through to Redis, writes passed through to Redis and then cached, invalidations, and what the cache holds. It owns
/// the cache's coherence with Redis: concurrent misses for one key share a single backend read (misses that wait for
/// a backend slot share one MGET, see <see cref="MissFetcher"/>), and a write, a delete or an invalidation of a key
/// detaches the reads of it in flight and keeps older values out of the cache (<see cref="CoherentCache"/>).
/// Split by job: reads here, batches, writes and cache administration in the partial files beside it.
/// </summary>
internal sealed partial class CachingProxy
{
    private readonly CoherentCache _cache;
    private readonly IRedisBackend _backend;
    private readonly BackendGate _gate;
    private readonly MissFetcher _misses;
    private readonly ProxyMetrics _metrics;

    /// <summary>Reads in flight in database 0, where nearly all are; other databases get theirs on first use.</summary>
    private readonly ReadsInFlight _readsInDatabase0 = new();
    private readonly ConcurrentDictionary<int, ReadsInFlight> _readsInOtherDatabases = new();

    public CachingProxy(IOptions<ProxyOptions> options, IRedisBackend backend, BackendGate gate, ProxyMetrics metrics, TimeProvider time)
    {
        var settings = options.Value;
        _cache = new CoherentCache(new LruCache(
            settings.CacheCapacity, settings.CacheExpiry, time, settings.CacheMaxBytes, settings.CacheMaxValueBytes));
        _backend = backend;
        _gate = gate;
        _metrics = metrics;
        _misses = new MissFetcher(_cache, backend, gate);
    }

    /// <summary>
    /// Answers from the cache when it can (synchronously, without allocating), else reads through. The key is copied
    /// (when needed) before this returns, so the caller may reuse its buffer while the read is still under way.
    /// </summary>
    public ValueTask<ProxyRead> GetAsync(ReadOnlyMemory<byte> key, int database, FrontDoor door, CancellationToken cancellationToken)
    {
        var started = _metrics.ReadStarted();
        return TryGetCached(key.Span, database, door, started, out var read)
            ? ValueTask.FromResult(read)
            : new ValueTask<ProxyRead>(ReadFromRedisAsync(key, database, door, started, cancellationToken));
    }

    /// <summary>
    /// <see cref="GetAsync"/> in two steps, for a caller that acts between them (the RESP door opens a miss's span
    /// before the backend is asked): the answer from the cache, synchronous and allocation-free, if it has one…
    /// </summary>
    public bool TryGetCached(ReadOnlySpan<byte> key, int database, FrontDoor door, out ProxyRead read) =>
        TryGetCached(key, database, door, _metrics.ReadStarted(), out read);

    /// <summary>…else the answer read through Redis. The key is copied (when needed) before this returns.</summary>
    public ValueTask<ProxyRead> ReadThroughAsync(ReadOnlyMemory<byte> key, int database, FrontDoor door, CancellationToken cancellationToken) =>
        new(ReadFromRedisAsync(key, database, door, _metrics.ReadStarted(), cancellationToken));

    private bool TryGetCached(ReadOnlySpan<byte> key, int database, FrontDoor door, long started, out ProxyRead read)
    {
        if (_cache.TryGet(key, database, out var value))
        {
            _metrics.Read(door, ReadResult.Hit, started);
            read = ProxyRead.FromLocal(value);
            return true;
        }

        read = default;
        return false;
    }

    /// <summary>
    /// <see cref="GetAsync"/> that also says how long the value stays cached, so the HTTP front door can tell clients
    /// how long they may reuse it (Cache-Control: max-age): never longer than the key lives in Redis.
    /// </summary>
    public ValueTask<TimedProxyRead> GetTimedAsync(ReadOnlyMemory<byte> key, int database, FrontDoor door, CancellationToken cancellationToken)
    {
        var started = _metrics.ReadStarted();
        if (_cache.TryGet(key.Span, database, out var value, out var timeToLive))
        {
            _metrics.Read(door, ReadResult.Hit, started);
            return ValueTask.FromResult(new TimedProxyRead(ProxyRead.FromLocal(value), timeToLive));
        }

        return new ValueTask<TimedProxyRead>(ReadThroughTimedAsync(key, database, door, started, cancellationToken));
    }

    private async Task<TimedProxyRead> ReadThroughTimedAsync(ReadOnlyMemory<byte> key, int database, FrontDoor door, long started, CancellationToken cancellationToken)
    {
        var entry = await ReadEntryAsync(key, database, door, started, cancellationToken);
        return entry is null
            ? new TimedProxyRead(ProxyRead.Absent, TimeSpan.Zero)
            : new TimedProxyRead(ProxyRead.FromRedis(entry.Value), _cache.TimeToLive(entry));
    }

    private async Task<ProxyRead> ReadFromRedisAsync(ReadOnlyMemory<byte> key, int database, FrontDoor door, long started, CancellationToken cancellationToken)
    {
        var entry = await ReadEntryAsync(key, database, door, started, cancellationToken);
        return entry is null ? ProxyRead.Absent : ProxyRead.FromRedis(entry.Value);
    }

    /// <summary>The entry a miss is answered with (cached, unless its key changed meanwhile); null when Redis lacks the key.</summary>
    private async Task<CacheEntry?> ReadEntryAsync(ReadOnlyMemory<byte> key, int database, FrontDoor door, long started, CancellationToken cancellationToken)
    {
        // The key is read only here, before the first await (see GetAsync).
        var reads = ReadsIn(database);
        if (!reads.TryFind(key.Span, out var read))
        {
            var keyBytes = key.ToArray();
            // Continuations run inline when the read completes; CompleteReadAsync says why that is safe.
            var ours = new TaskCompletionSource<CacheEntry?>();
            read = reads.Join(keyBytes, ours.Task);
            if (read == ours.Task)
            {
                _ = CompleteReadAsync(reads, keyBytes, database, ours);
            }
        }

        // A caller that gives up stops waiting; the shared read goes on for the others.
        CacheEntry? entry;
        try
        {
            // WaitAsync allocates a promise and a registration; skip it when there is nothing it could cancel.
            entry = read.IsCompleted || !cancellationToken.CanBeCanceled ? await read : await read.WaitAsync(cancellationToken);
        }
        catch (ProxyFailureException)
        {
            _metrics.Read(door, ReadResult.Error, started);
            throw;
        }

        _metrics.Read(door, entry is null ? ReadResult.MissAbsent : ReadResult.MissFound, started);
        return entry;
    }

    private async Task CompleteReadAsync(ReadsInFlight reads, byte[] key, int database, TaskCompletionSource<CacheEntry?> read)
    {
        CacheEntry? entry = null;
        Exception? failure = null;
        try
        {
            entry = await _misses.FetchAsync(key, database);
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Unlisted before the waiters resume, so none of them delays it; a reader arriving in between starts afresh,
        // as it would a moment later.
        reads.Finish(key, read.Task);

        // The waiters resume on this thread, which is already a thread-pool thread (StackExchange.Redis completes its
        // tasks asynchronously, and the gate lease is released): forcing them onto another one cost a thread switch per miss.
        if (failure is null)
        {
            read.SetResult(entry);
        }
        else
        {
            read.SetException(failure);
        }
    }

    private ReadsInFlight ReadsIn(int database) =>
        database == 0 ? _readsInDatabase0 : _readsInOtherDatabases.GetOrAdd(database, static _ => new ReadsInFlight());
}
