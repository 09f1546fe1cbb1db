using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Core;

/// <summary>
/// The local cache behind the <see cref="KeyFence"/>: every change of the cache and every record of a change happen
/// under one lock, so a value that was read or written before a change of its key can never enter the cache after
/// that change. Hits go straight to the <see cref="LruCache"/>, without the lock.
/// </summary>
internal sealed class CoherentCache(LruCache cache)
{
    private readonly KeyFence _fence = new();
    private readonly Lock _lock = new();

    /// <summary>Taken by a read or write before it starts, and handed back when its value is offered to the cache.</summary>
    public long Version => _fence.Version;

    public int Capacity => cache.Capacity;

    public int Count => cache.Count;

    public CacheStatistics Statistics => cache.Statistics;

    /// <summary>How long an entry lives after it is cached: CACHE_EXPIRY.</summary>
    public TimeSpan Expiry => cache.Expiry;

    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value) => cache.TryGet(key, out value);

    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value, out TimeSpan timeToLive) =>
        cache.TryGet(key, out value, out timeToLive);

    public CacheEntry CreateEntry(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => cache.CreateEntry(key, value);

    /// <summary>Caches a value read from Redis, unless its key changed since <paramref name="readStartedAt"/>.</summary>
    public void AdmitRead(CacheEntry entry, long readStartedAt)
    {
        lock (_lock)
        {
            if (!_fence.ChangedSince(readStartedAt, entry.Hash))
            {
                cache.Set(entry);
            }
        }
    }

    /// <summary>
    /// Caches a value just written to Redis through the proxy, unless its key changed since
    /// <paramref name="writeStartedAt"/>: that change may have reached Redis after this write, so the key is dropped
    /// instead and the next read fetches what Redis holds. Either way the write counts as a change of its key.
    /// </summary>
    public bool AdmitWrite(CacheEntry entry, long writeStartedAt)
    {
        lock (_lock)
        {
            var overtaken = _fence.ChangedSince(writeStartedAt, entry.Hash);
            _fence.Record(entry.Hash);
            if (overtaken)
            {
                cache.Remove(entry.Key);
            }
            else
            {
                cache.Set(entry);
            }

            return !overtaken;
        }
    }

    /// <summary>Drops the key and counts a change of it, so no read or write in flight caches its value.</summary>
    public void Invalidate(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            _fence.Record(CacheIndex.Hash(key));
            cache.Remove(key);
        }
    }

    /// <summary>Empties the cache and counts a change of every key.</summary>
    public void InvalidateAll()
    {
        lock (_lock)
        {
            _fence.RecordClear();
            cache.Clear();
        }
    }

    /// <summary>The live keys, least recently used first.</summary>
    public CacheSnapshot Snapshot() => cache.Snapshot();
}
