using System.Collections.Concurrent;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Caching;
using StackExchange.Redis;

namespace RedisProxy.Api.Core;

/// <summary>
/// The one core both front doors call: reads answered from the local LRU cache or read through to Redis,
/// writes passed through to Redis and then cached. Concurrent misses for one key share a single backend read.
/// </summary>
internal sealed class CachingProxy
{
    private readonly LruCache _cache;
    private readonly RedisBackend _backend;
    private readonly BackendGate _gate;
    private readonly ConcurrentDictionary<byte[], Task<CacheEntry?>> _readsInFlight = new(ByteArrayKeyComparer.Instance);
    private readonly ConcurrentDictionary<byte[], Task<CacheEntry?>>.AlternateLookup<ReadOnlySpan<byte>> _readsInFlightBySpan;

    public CachingProxy(LruCache cache, RedisBackend backend, BackendGate gate)
    {
        _cache = cache;
        _backend = backend;
        _gate = gate;
        _readsInFlightBySpan = _readsInFlight.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public LruCache Cache => _cache;

    /// <summary>Answers from the cache when it can (synchronously, without allocating), else reads through.</summary>
    public ValueTask<ProxyRead> GetAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(key.Span, out var value))
        {
            return ValueTask.FromResult(ProxyRead.FromLocal(value));
        }

        return new ValueTask<ProxyRead>(ReadThroughAsync(key, cancellationToken));
    }

    /// <summary>
    /// Answers each key from the cache when it can, and reads all the others from Redis in one round trip (MGET),
    /// caching what it finds under the same write-version guard as single reads.
    /// </summary>
    public async ValueTask<ProxyRead[]> GetManyAsync(ReadOnlyMemory<byte>[] keys, CancellationToken cancellationToken)
    {
        var reads = new ProxyRead[keys.Length];
        List<int>? misses = null;
        for (var i = 0; i < keys.Length; i++)
        {
            if (_cache.TryGet(keys[i].Span, out var value))
            {
                reads[i] = ProxyRead.FromLocal(value);
            }
            else
            {
                (misses ??= []).Add(i);
            }
        }

        if (misses is null)
        {
            return reads;
        }

        var version = _cache.WriteVersion;
        var missingKeys = misses.Select(i => keys[i].ToArray()).ToArray();
        RedisValue[] values;
        using (await _gate.EnterAsync(cancellationToken))
        {
            values = await _backend.GetManyAsync([.. missingKeys.Select(k => (RedisKey)k)], cancellationToken);
        }

        for (var j = 0; j < misses.Count; j++)
        {
            if (values[j].IsNull)
            {
                reads[misses[j]] = ProxyRead.Absent;
                continue;
            }

            var entry = _cache.CreateEntry(missingKeys[j], ((ReadOnlyMemory<byte>)values[j]).Span);
            _cache.TryAdd(entry, version);
            reads[misses[j]] = ProxyRead.FromRedis(entry.Value);
        }

        return reads;
    }

    /// <summary>Writes the value to Redis, then caches it: a later read sees it whichever door it uses.</summary>
    public async Task<CacheEntry> SetAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var keyBytes = key.ToArray();
        using (await _gate.EnterAsync(cancellationToken))
        {
            await _backend.SetAsync(keyBytes, value, cancellationToken);
        }

        var entry = _cache.CreateEntry(keyBytes, value.Span);
        _cache.Set(entry);
        // A read that started before this write must not hand its older value to readers that come after it.
        _readsInFlight.TryRemove(keyBytes, out _);
        return entry;
    }

    /// <summary>Deletes the keys in Redis and drops them from the cache; returns how many Redis removed.</summary>
    public async Task<long> DeleteAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken)
    {
        long removed;
        using (await _gate.EnterAsync(cancellationToken))
        {
            removed = await _backend.DeleteAsync([.. keys.Select(k => (RedisKey)k)], cancellationToken);
        }

        foreach (var key in keys)
        {
            _cache.Remove(key);
            _readsInFlight.TryRemove(key, out _);
        }

        return removed;
    }

    private async Task<ProxyRead> ReadThroughAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        if (!_readsInFlightBySpan.TryGetValue(key.Span, out var read))
        {
            var keyBytes = key.ToArray();
            var ours = new TaskCompletionSource<CacheEntry?>(TaskCreationOptions.RunContinuationsAsynchronously);
            read = _readsInFlight.GetOrAdd(keyBytes, ours.Task);
            if (read == ours.Task)
            {
                _ = CompleteReadAsync(keyBytes, ours);
            }
        }

        // A caller that gives up stops waiting; the shared read goes on for the others.
        var entry = await read.WaitAsync(cancellationToken);
        return entry is null ? ProxyRead.Absent : ProxyRead.FromRedis(entry.Value);
    }

    private async Task CompleteReadAsync(byte[] key, TaskCompletionSource<CacheEntry?> read)
    {
        try
        {
            read.SetResult(await FetchAsync(key));
        }
        catch (Exception e)
        {
            read.SetException(e);
        }
        finally
        {
            _readsInFlight.TryRemove(new KeyValuePair<byte[], Task<CacheEntry?>>(key, read.Task));
        }
    }

    private async Task<CacheEntry?> FetchAsync(byte[] key)
    {
        // Taken before the read, so a write that lands while the read is on the wire stops its result being cached.
        var version = _cache.WriteVersion;
        using (await _gate.EnterAsync(CancellationToken.None))
        {
            using var lease = await _backend.GetAsync(key, CancellationToken.None);
            if (lease is null)
            {
                return null;
            }

            var entry = _cache.CreateEntry(key, lease.Span);
            _cache.TryAdd(entry, version);
            return entry;
        }
    }
}
