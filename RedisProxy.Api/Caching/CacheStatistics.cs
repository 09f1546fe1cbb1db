namespace RedisProxy.Api.Caching;

/// <summary>Counters since start: lookups that hit or missed, entries evicted for room or dropped as expired.</summary>
internal readonly record struct CacheStatistics(long Hits, long Misses, long Evictions, long Expirations);
