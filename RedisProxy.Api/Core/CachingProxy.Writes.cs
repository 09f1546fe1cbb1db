using System.Threading.RateLimiting;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Core;

/// <summary>Writes through to Redis: SET caches the value written, DEL drops the keys; both detach reads in flight.</summary>
internal sealed partial class CachingProxy
{
    /// <summary>
    /// Writes the value to Redis (SET, with EX/PX when <paramref name="timeToLive"/> is not infinite), then caches it
    /// for no longer than that: a later read sees it whichever door it uses.
    /// </summary>
    public async Task SetAsync(
        ReadOnlyMemory<byte> key, int database, ReadOnlyMemory<byte> value, TimeSpan timeToLive, FrontDoor door, CancellationToken cancellationToken,
        RedisProtocol protocol = RedisProtocol.Resp2)
    {
        _metrics.Write(door, "set");
        var keyBytes = key.ToArray();
        await WriteThroughAsync(await _gate.EnterAsync(cancellationToken), keyBytes, database, value, timeToLive, protocol, cancellationToken);
    }

    /// <summary>
    /// <see cref="SetAsync"/> when a backend slot is free now, else null (the caller then waits with SetAsync). The SET is
    /// sent to Redis before this returns, so writes started one after another reach Redis in that order.
    /// </summary>
    public Task? TryStartSet(
        ReadOnlyMemory<byte> key, int database, ReadOnlyMemory<byte> value, TimeSpan timeToLive, RedisProtocol protocol, FrontDoor door, CancellationToken cancellationToken)
    {
        if (!_gate.TryEnter(out var lease))
        {
            return null;
        }

        _metrics.Write(door, "set");
        return WriteThroughAsync(lease, key.ToArray(), database, value, timeToLive, protocol, cancellationToken);
    }

    /// <summary>Deletes the keys in Redis and drops them from the cache; returns how many Redis removed.</summary>
    public async Task<long> DeleteAsync(IReadOnlyList<byte[]> keys, int database, FrontDoor door, CancellationToken cancellationToken)
    {
        _metrics.Write(door, "del");
        return await DeleteThroughAsync(await _gate.EnterAsync(cancellationToken), keys, database, cancellationToken);
    }

    /// <summary>Runs the SET on the slot it is given; everything up to the backend call runs before the first wait.</summary>
    private async Task WriteThroughAsync(
        RateLimitLease slot, byte[] key, int database, ReadOnlyMemory<byte> value, TimeSpan timeToLive, RedisProtocol protocol, CancellationToken cancellationToken)
    {
        CacheEntry entry;
        BackendCallStart start;
        using (slot)
        {
            // Taken before the write, so a change that may have reached Redis after it keeps this value out of the
            // cache, and the entry's time to live counts from before Redis's does.
            start = _cache.Start();

            // Made before the write, so the backend is handed the entry's own copy of the value: StackExchange.Redis
            // keeps a reference until it writes the command, which after a timeout can be later than the caller keeps
            // its buffer (a RESP frame's bytes are reused once answered).
            entry = _cache.CreateEntry(key, database, value.Span, start.Timestamp, timeToLive);
            try
            {
                await _backend.SetAsync(key, database, entry.Value, timeToLive, protocol, cancellationToken);
            }
            catch
            {
                Invalidate(key);
                throw;
            }
        }

        _cache.AdmitWrite(entry, start.Version);

        // A read that started before this write must not hand its older value to readers that come after it.
        ReadsIn(database).Detach(key);
    }

    private async Task<long> DeleteThroughAsync(RateLimitLease slot, IReadOnlyList<byte[]> keys, int database, CancellationToken cancellationToken)
    {
        try
        {
            using (slot)
            {
                return await _backend.DeleteAsync(AsRedisKeys(keys), database, cancellationToken);
            }
        }
        finally
        {
            // Deleted, or, when the DEL failed, perhaps deleted yet: either way the cached values are gone.
            foreach (var key in keys)
            {
                Invalidate(key);
            }
        }
    }
}
