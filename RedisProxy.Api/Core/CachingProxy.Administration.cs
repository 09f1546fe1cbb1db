using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Core;

/// <summary>What the cache holds, and changes made to it from outside the read and write paths.</summary>
internal sealed partial class CachingProxy
{
    /// <summary>Entries held, expired ones not yet dropped included.</summary>
    public int CachedKeys => _cache.Count;

    /// <summary>CACHE_CAPACITY: the most entries the cache holds.</summary>
    public int Capacity => _cache.Capacity;

    public CacheStatistics Statistics => _cache.Statistics;

    /// <summary>The live keys of a database, least recently used first, and the capacity.</summary>
    public CacheSnapshot Describe(int database = 0) => _cache.Snapshot(database);

    /// <summary>
    /// Drops the key from the cache, and from the reads in flight, so they do not cache what they get: after a delete,
    /// a write that failed (it may still reach Redis; a timeout says nothing about that), or an invalidation from
    /// Redis. A read that starts afterwards goes to Redis itself, and gets what Redis holds then. Redis's invalidations
    /// name no database, so the key is dropped in every database.
    /// </summary>
    public void Invalidate(ReadOnlySpan<byte> key)
    {
        _cache.Invalidate(key);
        _readsInDatabase0.Detach(key);
        foreach (var reads in _readsInOtherDatabases.Values)
        {
            reads.Detach(key);
        }
    }

    /// <summary>Empties the cache and detaches every read in flight (DELETE /cache, FLUSHALL, a new primary).</summary>
    public void Clear()
    {
        _cache.InvalidateAll();
        DetachAllReads();
    }

    /// <summary>The keys the cache may take from now on (see <see cref="CacheCoverage"/>); Everything until told otherwise.</summary>
    public CacheCoverage Coverage => _cache.Coverage;

    /// <summary>
    /// Sets the keys the cache may take: those whose changes Redis reports now. Reads in flight are detached, since
    /// what they carry may predate a change nobody reported; when keys lose cover, the cache is emptied.
    /// </summary>
    public void Cover(CacheCoverage coverage)
    {
        if (_cache.Cover(coverage))
        {
            DetachAllReads();
        }
    }

    private void DetachAllReads()
    {
        _readsInDatabase0.DetachAll();
        foreach (var reads in _readsInOtherDatabases.Values)
        {
            reads.DetachAll();
        }
    }
}
