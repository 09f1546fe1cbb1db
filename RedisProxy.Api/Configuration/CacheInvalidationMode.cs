namespace RedisProxy.Api.Configuration;

/// <summary>How cached entries learn that Redis changed: CACHE_INVALIDATION.</summary>
public enum CacheInvalidationMode
{
    /// <summary>They do not: an entry is served until it expires (the seed's semantics).</summary>
    Off,

    /// <summary>Redis client-side caching in broadcast mode: every write to a key drops it from every replica.</summary>
    Tracking,
}
