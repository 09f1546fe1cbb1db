using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Core;

/// <summary>
/// The one core both front doors call: reads answered from the local LRU cache or read through to Redis,
/// writes passed through to Redis and then cached. Concurrent misses for one key share a single backend read, and
/// misses that have to wait for a backend slot share one MGET (<see cref="MissFetcher"/>).
/// </summary>
internal sealed class CachingProxy
{
    private readonly LruCache _cache;
    private readonly RedisBackend _backend;
    private readonly BackendGate _gate;
    private readonly MissFetcher _misses;
    private readonly ProxyMetrics _metrics;
    private readonly ConcurrentDictionary<byte[], Task<CacheEntry?>> _readsInFlight = new(ByteArrayKeyComparer.Instance);
    private readonly ConcurrentDictionary<byte[], Task<CacheEntry?>>.AlternateLookup<ReadOnlySpan<byte>> _readsInFlightBySpan;

    public CachingProxy(LruCache cache, RedisBackend backend, BackendGate gate, MissFetcher misses, ProxyMetrics metrics)
    {
        _misses = misses;
        _metrics = metrics;
        _cache = cache;
        _backend = backend;
        _gate = gate;
        _readsInFlightBySpan = _readsInFlight.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public LruCache Cache => _cache;

    /// <summary>
    /// Answers from the cache when it can (synchronously, without allocating), else reads through. The key is copied
    /// (when needed) before this returns, so the caller may reuse its buffer while the read is still under way.
    /// </summary>
    public ValueTask<ProxyRead> GetAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken, FrontDoor door = FrontDoor.Http)
    {
        if (_cache.TryGet(key.Span, out var value))
        {
            _metrics.Read(door, ReadResult.Hit);
            return ValueTask.FromResult(ProxyRead.FromLocal(value));
        }

        return new ValueTask<ProxyRead>(ReadThroughAsync(key, door, cancellationToken));
    }

    /// <summary>Writes the value to Redis, then caches it: a later read sees it whichever door it uses.</summary>
    public async Task<CacheEntry> SetAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken, FrontDoor door = FrontDoor.Http)
    {
        _metrics.Write(door, "set");
        var keyBytes = key.ToArray();
        return await WriteThroughAsync(await _gate.EnterAsync(cancellationToken), keyBytes, value, cancellationToken);
    }

    /// <summary>
    /// <see cref="SetAsync"/> when a backend slot is free now, else null (the caller then waits with SetAsync). The SET is
    /// sent to Redis before this returns, so writes started one after another reach Redis in that order.
    /// </summary>
    public Task<CacheEntry>? TryStartSet(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, FrontDoor door, CancellationToken cancellationToken)
    {
        if (!_gate.TryEnter(out var lease))
        {
            return null;
        }

        _metrics.Write(door, "set");
        return WriteThroughAsync(lease, key.ToArray(), value, cancellationToken);
    }

    /// <summary>Deletes the keys in Redis and drops them from the cache; returns how many Redis removed.</summary>
    public async Task<long> DeleteAsync(IReadOnlyList<byte[]> keys, FrontDoor door, CancellationToken cancellationToken)
    {
        _metrics.Write(door, "del");
        return await DeleteThroughAsync(await _gate.EnterAsync(cancellationToken), keys, cancellationToken);
    }

    /// <summary><see cref="DeleteAsync"/> when a backend slot is free now, else null; sent before this returns, as <see cref="TryStartSet"/>.</summary>
    public Task<long>? TryStartDelete(IReadOnlyList<byte[]> keys, FrontDoor door, CancellationToken cancellationToken)
    {
        if (!_gate.TryEnter(out var lease))
        {
            return null;
        }

        _metrics.Write(door, "del");
        return DeleteThroughAsync(lease, keys, cancellationToken);
    }

    /// <summary>Runs the SET on the slot it is given; everything up to the backend call runs before the first wait.</summary>
    private async Task<CacheEntry> WriteThroughAsync(
        RateLimitLease slot, byte[] key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        CacheEntry entry;
        long version;
        using (slot)
        {
            // Made before the write, so the backend is handed the entry's own copy of the value: StackExchange.Redis
            // keeps a reference until it writes the command, which after a timeout can be later than the caller keeps
            // its buffer (a RESP frame's bytes are reused once answered). Its expiry counts from here: a round trip early.
            entry = _cache.CreateEntry(key, value.Span);

            // Taken before the write, so a change that may have reached Redis after it keeps this value out of the cache.
            version = _cache.WriteVersion;
            try
            {
                await _backend.SetAsync(key, entry.Value, cancellationToken);
            }
            catch
            {
                Forget(key);
                throw;
            }
        }

        _cache.SetUnlessOvertaken(entry, version);

        // A read that started before this write must not hand its older value to readers that come after it.
        _readsInFlight.TryRemove(key, out _);
        return entry;
    }

    private async Task<long> DeleteThroughAsync(
        RateLimitLease slot, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken)
    {
        try
        {
            using (slot)
            {
                return await _backend.DeleteAsync(AsRedisKeys(keys), cancellationToken);
            }
        }
        finally
        {
            // Deleted, or, when the DEL failed, perhaps deleted yet: either way the cached values are gone.
            foreach (var key in keys)
            {
                Forget(key);
            }
        }
    }

    /// <summary>
    /// Drops the key from the cache, and from the reads in flight, so they do not cache what they get: after a delete,
    /// and after a write that failed, which may still have reached Redis or may yet (a timeout says nothing about
    /// that). The next read goes to Redis over the same connection as the write, behind it, so it gets what Redis ends up with.
    /// </summary>
    private void Forget(byte[] key)
    {
        _cache.Remove(key);
        _readsInFlight.TryRemove(key, out _);
    }

    private async Task<ProxyRead> ReadThroughAsync(ReadOnlyMemory<byte> key, FrontDoor door, CancellationToken cancellationToken)
    {
        // The key is read only here, before the first await (see GetAsync).
        if (!_readsInFlightBySpan.TryGetValue(key.Span, out var read))
        {
            var keyBytes = key.ToArray();
            // Continuations run inline when the read completes; CompleteReadAsync says why that is safe.
            var ours = new TaskCompletionSource<CacheEntry?>();
            read = _readsInFlight.GetOrAdd(keyBytes, ours.Task);
            if (read == ours.Task)
            {
                _ = CompleteReadAsync(keyBytes, ours);
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
            _metrics.Read(door, ReadResult.Error);
            throw;
        }

        _metrics.Read(door, entry is null ? ReadResult.MissAbsent : ReadResult.MissFound);
        return entry is null ? ProxyRead.Absent : ProxyRead.FromRedis(entry.Value);
    }

    private async Task CompleteReadAsync(byte[] key, TaskCompletionSource<CacheEntry?> read)
    {
        CacheEntry? entry = null;
        Exception? failure = null;
        try
        {
            entry = await _misses.FetchAsync(key);
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Unlisted before the waiters resume, so none of them delays it; a reader arriving in between starts afresh,
        // as it would a moment later.
        _readsInFlight.TryRemove(new KeyValuePair<byte[], Task<CacheEntry?>>(key, read.Task));

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

    /// <summary>
    /// <see cref="GetAsync"/> that also says how long the value stays cached, so the HTTP front door can tell clients
    /// how long they may reuse it (Cache-Control: max-age).
    /// </summary>
    public ValueTask<TimedProxyRead> GetTimedAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken, FrontDoor door = FrontDoor.Http)
    {
        if (_cache.TryGet(key.Span, out var value, out var timeToLive))
        {
            _metrics.Read(door, ReadResult.Hit);
            return ValueTask.FromResult(new TimedProxyRead(ProxyRead.FromLocal(value), timeToLive));
        }

        return new ValueTask<TimedProxyRead>(ReadThroughTimedAsync(key, door, cancellationToken));
    }

    /// <summary>
    /// Reads many keys at once: hits from the cache, and every miss from Redis in one MGET round trip. The answers
    /// are in the order of <paramref name="keys"/>. Redis's MGET reports a key of another type as absent, so does this.
    /// </summary>
    public async Task<ProxyRead[]> GetManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> keys, CancellationToken cancellationToken, FrontDoor door = FrontDoor.Http)
    {
        var (reads, misses) = ReadCached(keys, door);
        if (misses is null)
        {
            return reads;
        }

        // Taken before the read, so a write that lands while MGET is on the wire stops its results being cached.
        var version = _cache.WriteVersion;
        var missingKeys = CopyKeys(keys, misses);
        RedisValue[] values;
        try
        {
            using (await _gate.EnterAsync(cancellationToken))
            {
                values = await _backend.GetManyAsync(AsRedisKeys(missingKeys), cancellationToken);
            }
        }
        catch (ProxyFailureException)
        {
            _metrics.Read(door, ReadResult.Error, misses.Count);
            throw;
        }

        StoreFetched(missingKeys, values, version, reads, misses, door);
        return reads;
    }

    /// <summary>
    /// Counts the keys Redis has, as EXISTS does (a key named twice counts twice). Hits count from the cache; the
    /// misses take one backend round trip of two pipelined commands: MGET, whose values are cached as any read's
    /// are (an EXISTS is usually followed by a GET), and EXISTS, which also counts keys of other types, where MGET
    /// sees none.
    /// </summary>
    public async Task<long> CountExistingAsync(IReadOnlyList<ReadOnlyMemory<byte>> keys, FrontDoor door, CancellationToken cancellationToken)
    {
        var (reads, misses) = ReadCached(keys, door);
        if (misses is null)
        {
            return keys.Count;
        }

        var version = _cache.WriteVersion;
        var missingKeys = CopyKeys(keys, misses);
        RedisValue[] values;
        long existing;
        try
        {
            using (await _gate.EnterAsync(cancellationToken))
            {
                var redisKeys = AsRedisKeys(missingKeys);
                var fetch = _backend.GetManyAsync(redisKeys, cancellationToken);
                var count = _backend.CountExistingAsync(redisKeys, cancellationToken);
                await Task.WhenAll(fetch, count);
                (values, existing) = (fetch.Result, count.Result);
            }
        }
        catch (ProxyFailureException)
        {
            _metrics.Read(door, ReadResult.Error, misses.Count);
            throw;
        }

        StoreFetched(missingKeys, values, version, reads, misses, door);
        return keys.Count - misses.Count + existing;
    }

    /// <summary>The hits among <paramref name="keys"/>, in place, and the positions of the misses (null when none).</summary>
    private (ProxyRead[] Reads, List<int>? Misses) ReadCached(IReadOnlyList<ReadOnlyMemory<byte>> keys, FrontDoor door)
    {
        var reads = new ProxyRead[keys.Count];
        List<int>? misses = null;
        for (var i = 0; i < keys.Count; i++)
        {
            if (_cache.TryGet(keys[i].Span, out var value))
            {
                _metrics.Read(door, ReadResult.Hit);
                reads[i] = ProxyRead.FromLocal(value);
            }
            else
            {
                (misses ??= []).Add(i);
            }
        }

        return (reads, misses);
    }

    /// <summary>Copied now: the caller's key buffers need not outlive the await.</summary>
    private static byte[][] CopyKeys(IReadOnlyList<ReadOnlyMemory<byte>> keys, List<int> positions) =>
        [.. positions.Select(i => keys[i].ToArray())];

    private static RedisKey[] AsRedisKeys(IReadOnlyList<byte[]> keys) => [.. keys.Select(k => (RedisKey)k)];

    /// <summary>Caches the values an MGET of the misses found, unless a write went through since <paramref name="version"/>.</summary>
    private void StoreFetched(byte[][] missingKeys, RedisValue[] values, long version, ProxyRead[] reads, List<int> misses, FrontDoor door)
    {
        for (var m = 0; m < misses.Count; m++)
        {
            if (values[m].IsNull)
            {
                _metrics.Read(door, ReadResult.MissAbsent);
                reads[misses[m]] = ProxyRead.Absent;
                continue;
            }

            _metrics.Read(door, ReadResult.MissFound);
            var entry = _cache.AddRead(missingKeys[m], ((ReadOnlyMemory<byte>)values[m]).Span, version);
            reads[misses[m]] = ProxyRead.FromRedis(entry.Value);
        }
    }

    private async Task<TimedProxyRead> ReadThroughTimedAsync(ReadOnlyMemory<byte> key, FrontDoor door, CancellationToken cancellationToken)
    {
        var read = await ReadThroughAsync(key, door, cancellationToken);
        return new TimedProxyRead(read, read.Found ? _cache.Expiry : TimeSpan.Zero);
    }
}
