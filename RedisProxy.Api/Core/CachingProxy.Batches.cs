using RedisProxy.Api.Failures;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Core;

/// <summary>Reads of many keys at once: hits from the cache, every miss from Redis in one round trip.</summary>
internal sealed partial class CachingProxy
{
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
        var version = _cache.Version;
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

        var version = _cache.Version;
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
            var entry = _cache.CreateEntry(missingKeys[m], ((ReadOnlyMemory<byte>)values[m]).Span);
            _cache.AdmitRead(entry, version);
            reads[misses[m]] = ProxyRead.FromRedis(entry.Value);
        }
    }
}
