using System.Threading.RateLimiting;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Core;

/// <summary>Writes through to Redis: SET caches the value written, DEL drops the keys; both detach reads in flight.</summary>
internal sealed partial class CachingProxy
{
    /// <summary>Writes the value to Redis, then caches it: a later read sees it whichever door it uses.</summary>
    public async Task SetAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken, FrontDoor door = FrontDoor.Http)
    {
        _metrics.Write(door, "set");
        var keyBytes = key.ToArray();
        await WriteThroughAsync(await _gate.EnterAsync(cancellationToken), keyBytes, value, cancellationToken);
    }

    /// <summary>
    /// <see cref="SetAsync"/> when a backend slot is free now, else null (the caller then waits with SetAsync). The SET is
    /// sent to Redis before this returns, so writes started one after another reach Redis in that order.
    /// </summary>
    public Task? TryStartSet(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, FrontDoor door, CancellationToken cancellationToken)
    {
        if (!_gate.TryEnter(out var lease))
        {
            return null;
        }

        _metrics.Write(door, "set");
        return WriteThroughAsync(lease, key.ToArray(), value, cancellationToken);
    }

    /// <summary>Deletes the keys in Redis and drops them from the cache; returns how many Redis removed.</summary>
    public async Task<long> DeleteAsync(IReadOnlyList<byte[]> keys, FrontDoor door, CancellationToken cancellationToken)
    {
        _metrics.Write(door, "del");
        return await DeleteThroughAsync(await _gate.EnterAsync(cancellationToken), keys, cancellationToken);
    }

    /// <summary><see cref="DeleteAsync"/> when a backend slot is free now, else null; sent before this returns, as <see cref="TryStartSet"/>.</summary>
    public Task<long>? TryStartDelete(IReadOnlyList<byte[]> keys, FrontDoor door, CancellationToken cancellationToken)
    {
        if (!_gate.TryEnter(out var lease))
        {
            return null;
        }

        _metrics.Write(door, "del");
        return DeleteThroughAsync(lease, keys, cancellationToken);
    }

    /// <summary>Runs the SET on the slot it is given; everything up to the backend call runs before the first wait.</summary>
    private async Task WriteThroughAsync(RateLimitLease slot, byte[] key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        CacheEntry entry;
        long version;
        using (slot)
        {
            // Made before the write, so the backend is handed the entry's own copy of the value: StackExchange.Redis
            // keeps a reference until it writes the command, which after a timeout can be later than the caller keeps
            // its buffer (a RESP frame's bytes are reused once answered). Its expiry counts from here: a round trip early.
            entry = _cache.CreateEntry(key, value.Span);

            // Taken before the write, so a change that may have reached Redis after it keeps this value out of the cache.
            version = _cache.Version;
            try
            {
                await _backend.SetAsync(key, entry.Value, cancellationToken);
            }
            catch
            {
                Invalidate(key);
                throw;
            }
        }

        _cache.AdmitWrite(entry, version);

        // A read that started before this write must not hand its older value to readers that come after it.
        _readsInFlight.TryRemove(key, out _);
    }

    private async Task<long> DeleteThroughAsync(RateLimitLease slot, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken)
    {
        try
        {
            using (slot)
            {
                return await _backend.DeleteAsync(AsRedisKeys(keys), cancellationToken);
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
