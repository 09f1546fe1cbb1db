using System.Threading.RateLimiting;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Failures;
using StackExchange.Redis;

namespace RedisProxy.Api.Core;

/// <summary>
/// Reads a key that missed the cache from Redis, and caches what it finds. When a backend slot is free the key gets
/// a GET of its own. When every slot is taken it joins the misses already waiting: they wait for one slot together
/// (each still counts as a queued request, see <see cref="BackendGate"/>), and the slot that comes free reads them all
/// with one MGET (on a Redis Cluster, only misses of one hash slot wait together). So misses beyond
/// MAX_CONCURRENT_REQUESTS keep the backend to that many commands at once without each waiting for a round trip of its own.
/// </summary>
internal sealed class MissFetcher(CoherentCache cache, IRedisBackend backend, BackendGate gate)
{
    /// <summary>
    /// The most keys one MGET reads; a longer line of waiting misses starts another batch. Small, because the whole
    /// reply must arrive within BACKEND_TIMEOUT_MS and be held at once: a slot then carries at most this many values,
    /// where a GET carries one. (At 16 connections over 11 slots a batch averaged four keys.)
    /// </summary>
    private const int MaxBatchKeys = 16;

    private readonly Lock _lock = new();

    /// <summary>
    /// The batches still waiting for their slot, which a miss may join: one per database and group of keys that one
    /// MGET may read (<see cref="IRedisBackend.BatchGroupOf"/>: all keys, or on a Redis Cluster those of one hash slot).
    /// </summary>
    private readonly Dictionary<(int Database, int Group), List<QueuedMiss>> _waiting = [];

    /// <summary>The key's entry, now cached unless a write overtook the read; null when Redis has no such key.</summary>
    public Task<CacheEntry?> FetchAsync(byte[] key, int database)
    {
        // Taken before the read, so a write that lands while the read waits or is on the wire stops its result being
        // cached, and the key's time to live counts from here.
        var start = cache.Start();
        if (gate.TryEnter(out var lease))
        {
            return FetchAloneAsync(key, database, start, lease);
        }

        if (!gate.TryQueue())
        {
            return Task.FromException<CacheEntry?>(BackendGate.QueueFull());
        }

        var miss = new QueuedMiss(key, start);
        var group = (database, backend.BatchGroupOf(key));
        List<QueuedMiss>? opened = null;
        lock (_lock)
        {
            if (!_waiting.TryGetValue(group, out var batch) || batch.Count == MaxBatchKeys)
            {
                _waiting[group] = batch = opened = [];
            }

            batch.Add(miss);
        }

        if (opened is not null)
        {
            _ = FetchBatchAsync(opened, group);
        }

        return miss.Result.Task;
    }

    private async Task<CacheEntry?> FetchAloneAsync(byte[] key, int database, BackendCallStart start, RateLimitLease lease)
    {
        using (lease)
        {
            return await GetAndCacheAsync(key, database, start);
        }
    }

    private async Task<CacheEntry?> GetAndCacheAsync(byte[] key, int database, BackendCallStart start)
    {
        if (await backend.GetAsync(key, database, CancellationToken.None) is not var (value, timeToLive))
        {
            return null;
        }

        using (value)
        {
            return cache.AdmitRead(key, database, value.Span, timeToLive, start);
        }
    }

    private async Task FetchBatchAsync(List<QueuedMiss> batch, (int Database, int Group) group)
    {
        RateLimitLease lease;
        try
        {
            lease = await gate.WaitForSlotAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            var refused = Close(batch, group);
            gate.StopWaiting(refused.Count, refused: e is ProxyOverloadedException);
            foreach (var miss in refused)
            {
                Complete(miss, Outcome.Failed(e));
            }

            return;
        }

        var misses = Close(batch, group);
        gate.StopWaiting(misses.Count, refused: false);
        var outcomes = new Outcome[misses.Count];
        using (lease)
        {
            await ReadAsync(misses, group.Database, outcomes);
        }

        // Completed once the slot is free again: the waiters go on to write their replies on this thread.
        for (var i = 0; i < misses.Count; i++)
        {
            Complete(misses[i], outcomes[i]);
        }
    }

    /// <summary>Stops new misses joining the batch, which has its slot or has given up; its members are final from here.</summary>
    private List<QueuedMiss> Close(List<QueuedMiss> batch, (int Database, int Group) group)
    {
        lock (_lock)
        {
            if (_waiting.TryGetValue(group, out var open) && open == batch)
            {
                _waiting.Remove(group);
            }
        }

        return batch;
    }

    /// <summary>
    /// One MGET for all the keys. MGET answers nil for a key of another type as well as for an absent one, where a GET
    /// is refused with WRONGTYPE, which the proxy reports (409): so when some keys come back nil, one EXISTS asks
    /// whether any of them exists at all, and only if one does are they read again one GET at a time.
    /// </summary>
    private async Task ReadAsync(List<QueuedMiss> misses, int database, Outcome[] outcomes)
    {
        try
        {
            if (misses.Count == 1)
            {
                outcomes[0] = Outcome.Read(await GetAndCacheAsync(misses[0].Key, database, misses[0].Start));
                return;
            }

            var values = await backend.GetManyAsync([.. misses.Select(m => (RedisKey)m.Key)], database, CancellationToken.None);
            List<int>? nil = null;
            for (var i = 0; i < misses.Count; i++)
            {
                var (value, timeToLive) = values[i];
                if (value.IsNull)
                {
                    (nil ??= []).Add(i);
                }
                else
                {
                    var entry = cache.AdmitRead(misses[i].Key, database, ((ReadOnlyMemory<byte>)value).Span, timeToLive, misses[i].Start);
                    outcomes[i] = Outcome.Read(entry);
                }
            }

            if (nil is null)
            {
                return;
            }

            var anyExists = await backend.CountExistingAsync([.. nil.Select(i => (RedisKey)misses[i].Key)], database, CancellationToken.None) > 0;
            foreach (var i in nil)
            {
                try
                {
                    outcomes[i] = Outcome.Read(anyExists ? await GetAndCacheAsync(misses[i].Key, database, misses[i].Start) : null);
                }
                catch (WrongTypeException e)
                {
                    outcomes[i] = Outcome.Failed(e);
                }
            }
        }
        catch (Exception e)
        {
            // The backend failed: every miss not yet answered shares the failure.
            for (var i = 0; i < outcomes.Length; i++)
            {
                if (!outcomes[i].Answered)
                {
                    outcomes[i] = Outcome.Failed(e);
                }
            }
        }
    }

    private static void Complete(QueuedMiss miss, Outcome outcome)
    {
        if (outcome.Failure is { } failure)
        {
            miss.Result.SetException(failure);
        }
        else
        {
            miss.Result.SetResult(outcome.Entry);
        }
    }

    private sealed class QueuedMiss(byte[] key, BackendCallStart start)
    {
        public byte[] Key { get; } = key;

        public BackendCallStart Start { get; } = start;

        /// <summary>Completes on the batch's thread; see <see cref="CachingProxy"/> on why that is safe.</summary>
        public TaskCompletionSource<CacheEntry?> Result { get; } = new();
    }

    /// <summary>What became of one miss of a batch; the default is a miss not answered yet.</summary>
    private readonly record struct Outcome(bool Answered, CacheEntry? Entry, Exception? Failure)
    {
        /// <summary>The entry read, or null for a key Redis does not have.</summary>
        public static Outcome Read(CacheEntry? entry) => new(true, entry, null);

        public static Outcome Failed(Exception failure) => new(true, null, failure);
    }
}
