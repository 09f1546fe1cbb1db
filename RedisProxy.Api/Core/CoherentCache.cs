using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Core;

/// <summary>
/// The local cache behind the <see cref="KeyFence"/>: every change of the cache and every record of a change happen
/// under one lock, so a value that was read or written before a change of its key can never enter the cache after
/// that change; and only keys of its <see cref="CacheCoverage"/> enter. Hits go straight to the
/// <see cref="LruCache"/>, without the lock.
/// </summary>
internal sealed class CoherentCache(LruCache cache)
{
    private readonly KeyFence _fence = new();
    private readonly Lock _lock = new();

    /// <summary>Every database that has held an entry: an invalidation of a key, which names no database, covers each.</summary>
    private int[] _databases = [0];

    private CacheCoverage _coverage = CacheCoverage.Everything;

    /// <summary>Taken by a read or write before it starts, and handed back when its value is offered to the cache.</summary>
    public long Version => _fence.Version;

    /// <summary>
    /// Taken before a read or write is sent: the fence's version, and the clock from which a time to live that Redis
    /// reports counts (Redis counted from later, so the entry never outlives the key).
    /// </summary>
    public BackendCallStart Start() => new(_fence.Version, cache.Timestamp);

    public int Capacity => cache.Capacity;

    public int Count => cache.Count;

    public CacheStatistics Statistics => cache.Statistics;

    public bool TryGet(ReadOnlySpan<byte> key, int database, out ReadOnlyMemory<byte> value) => cache.TryGet(key, database, out value);

    public bool TryGet(ReadOnlySpan<byte> key, int database, out ReadOnlyMemory<byte> value, out TimeSpan timeToLive) =>
        cache.TryGet(key, database, out value, out timeToLive);

    /// <summary>An entry that lives until the earlier of CACHE_EXPIRY from now and <paramref name="timeToLive"/> from <paramref name="since"/>.</summary>
    public CacheEntry CreateEntry(ReadOnlySpan<byte> key, int database, ReadOnlySpan<byte> value, long since, TimeSpan timeToLive) =>
        cache.CreateEntry(key, database, value, since, timeToLive);

    /// <summary>An entry that lives CACHE_EXPIRY from now.</summary>
    public CacheEntry CreateEntry(ReadOnlySpan<byte> key, int database, ReadOnlySpan<byte> value) =>
        cache.CreateEntry(key, database, value, 0, Timeout.InfiniteTimeSpan);

    /// <summary>How long the entry has left from now.</summary>
    public TimeSpan TimeToLive(CacheEntry entry) => cache.TimeToLive(entry);

    /// <summary>
    /// Makes the entry a read is answered with, living until the earlier of CACHE_EXPIRY and the key's time to live in
    /// Redis, and caches it unless its key changed since the read started or Redis reported the key already gone.
    /// </summary>
    public CacheEntry AdmitRead(ReadOnlySpan<byte> key, int database, ReadOnlySpan<byte> value, TimeSpan timeToLive, BackendCallStart start)
    {
        var entry = cache.CreateEntry(key, database, value, start.Timestamp, timeToLive);
        if (timeToLive != TimeSpan.Zero)
        {
            AdmitRead(entry, start.Version);
        }

        return entry;
    }

    /// <summary>Caches a value read from Redis, unless its key changed since <paramref name="readStartedAt"/>.</summary>
    public void AdmitRead(CacheEntry entry, long readStartedAt)
    {
        lock (_lock)
        {
            if (!_fence.ChangedSince(readStartedAt, FenceHash(entry)))
            {
                Insert(entry);
            }
        }
    }

    /// <summary>
    /// Caches a value just written to Redis through the proxy, unless its key changed since
    /// <paramref name="writeStartedAt"/>: that change may have reached Redis after this write, so the key is dropped
    /// instead and the next read fetches what Redis holds. Either way the write counts as a change of its key. True
    /// when the value was cached.
    /// </summary>
    public bool AdmitWrite(CacheEntry entry, long writeStartedAt)
    {
        lock (_lock)
        {
            var hash = FenceHash(entry);
            var overtaken = _fence.ChangedSince(writeStartedAt, hash);
            _fence.Record(hash);
            if (overtaken)
            {
                cache.Remove(entry.Key, entry.Database);
                return false;
            }

            return Insert(entry);
        }
    }

    /// <summary>Drops the key in every database and counts a change of it, so no read or write in flight caches its value.</summary>
    public void Invalidate(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            _fence.Record(CacheIndex.Hash(key));
            foreach (var database in _databases)
            {
                cache.Remove(key, database);
            }
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

    public CacheCoverage Coverage => _coverage;

    /// <summary>
    /// Lets only keys of <paramref name="coverage"/> enter from now on, and counts a change of every key, so no read or
    /// write in flight caches what it carries; empties the cache if some key loses cover. False when nothing changed.
    /// </summary>
    public bool Cover(CacheCoverage coverage)
    {
        lock (_lock)
        {
            if (coverage.Equals(_coverage))
            {
                return false;
            }

            var losesCover = !_coverage.IsWithin(coverage);
            _coverage = coverage;
            _fence.RecordClear();
            if (losesCover)
            {
                cache.Clear();
            }

            return true;
        }
    }

    /// <summary>The live keys of a database, least recently used first.</summary>
    public CacheSnapshot Snapshot(int database) => cache.Snapshot(database);

    /// <summary>The fence knows keys, not databases: a change of a key counts in every database.</summary>
    private static int FenceHash(CacheEntry entry) => entry.Database == 0 ? entry.Hash : CacheIndex.Hash(entry.Key);

    /// <summary>Caches the entry if its key is covered; caller holds the lock.</summary>
    private bool Insert(CacheEntry entry)
    {
        if (!_coverage.Covers(entry.Key))
        {
            return false;
        }

        if (Array.IndexOf(_databases, entry.Database) < 0)
        {
            _databases = [.. _databases, entry.Database];
        }

        cache.Set(entry);
        return true;
    }
}
