namespace RedisProxy.Api.Caching;

/// <summary>The live keys of the cache, least recently used first, and its capacity.</summary>
internal sealed record CacheSnapshot(IReadOnlyList<byte[]> KeysLeastRecentFirst, int Capacity)
{
    public int Occupancy => KeysLeastRecentFirst.Count;
}
