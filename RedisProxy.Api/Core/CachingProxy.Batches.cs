using RedisProxy.Api.Backend;
using RedisProxy.Api.Failures;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Core;

/// <summary>Reads of many keys at once: hits from the cache, every miss from Redis in one round trip.</summary>
internal sealed partial class CachingProxy
{
    /// <summary>
    /// Reads many keys at once: hits from the cache, and every miss from Redis in one round trip (MGET, with their
    /// times to live). The answers are in the order of <paramref name="keys"/>. Redis's MGET reports a key of another
    /// type as absent, so does this.
    /// </summary>
    public async Task<ProxyRead[]> GetManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> keys, int database, FrontDoor door, CancellationToken cancellationToken)
    {
        var started = _metrics.ReadStarted();
        var (reads, misses) = ReadCached(keys, database, door, started);
        if (misses is null)
        {
            return reads;
        }

        // Taken before the read, so a write that lands while MGET is on the wire stops its results being cached.
        var start = _cache.Start();
        var missingKeys = CopyKeys(keys, misses);
        TimedValue[] values;
        try
        {
            using (await _gate.EnterAsync(cancellationToken))
            {
                values = await _backend.GetManyAsync(AsRedisKeys(missingKeys), database, cancellationToken);
            }
        }
        catch (ProxyFailureException)
        {
            _metrics.Read(door, ReadResult.Error, started, misses.Count);
            throw;
        }

        for (var m = 0; m < misses.Count; m++)
        {
            var (value, timeToLive) = values[m];
            if (value.IsNull)
            {
                _metrics.Read(door, ReadResult.MissAbsent, started);
                reads[misses[m]] = ProxyRead.Absent;
                continue;
            }

            _metrics.Read(door, ReadResult.MissFound, started);
            var entry = _cache.AdmitRead(missingKeys[m], database, ((ReadOnlyMemory<byte>)value).Span, timeToLive, start);
            reads[misses[m]] = ProxyRead.FromRedis(entry.Value);
        }

        return reads;
    }

    /// <summary>
    /// Counts the keys Redis has, as EXISTS does (a key named twice counts twice): hits count from the cache, the
    /// misses with one EXISTS, which also counts keys of other types.
    /// </summary>
    public async Task<long> CountExistingAsync(IReadOnlyList<ReadOnlyMemory<byte>> keys, int database, FrontDoor door, CancellationToken cancellationToken)
    {
        // Not counted as reads: EXISTS reads no value.
        List<int>? misses = null;
        for (var i = 0; i < keys.Count; i++)
        {
            if (!_cache.TryGet(keys[i].Span, database, out _))
            {
                (misses ??= []).Add(i);
            }
        }

        if (misses is null)
        {
            return keys.Count;
        }

        var missingKeys = CopyKeys(keys, misses);
        long existing;
        try
        {
            using (await _gate.EnterAsync(cancellationToken))
            {
                existing = await _backend.CountExistingAsync(AsRedisKeys(missingKeys), database, cancellationToken);
            }
        }
        catch (ProxyFailureException)
        {
            _metrics.Read(door, ReadResult.Error, 0, misses.Count);
            throw;
        }

        return keys.Count - misses.Count + existing;
    }

    /// <summary>The hits among <paramref name="keys"/>, in place, and the positions of the misses (null when none).</summary>
    private (ProxyRead[] Reads, List<int>? Misses) ReadCached(IReadOnlyList<ReadOnlyMemory<byte>> keys, int database, FrontDoor door, long started)
    {
        var reads = new ProxyRead[keys.Count];
        List<int>? misses = null;
        for (var i = 0; i < keys.Count; i++)
        {
            if (_cache.TryGet(keys[i].Span, database, out var value))
            {
                _metrics.Read(door, ReadResult.Hit, started);
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
}
