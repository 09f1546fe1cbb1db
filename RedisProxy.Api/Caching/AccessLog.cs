namespace RedisProxy.Api.Caching;

/// <summary>
/// Hits waiting to be applied to the recency list, in the order they happened. A hit appends without a lock: it
/// claims the next ticket with one compare-and-swap and fills that slot. Whoever holds the cache's lock applies
/// the records in ticket order before anything reads or changes the recency order, so that order is the exact
/// LRU order of all hits recorded so far. No hit is ever dropped (unlike the lossy buffers of approximate caches);
/// when the log is full, the hit waits for the lock and applies the log itself.
/// </summary>
internal sealed class AccessLog
{
    // Small, so the entries a batch names are still in the CPU cache when it is applied; measured better than 1024.
    private const int Size = 128;
    private const int Mask = Size - 1;

    private readonly CacheEntry?[] _slots = new CacheEntry?[Size];

    // Each counter on its own cache line, so hits claiming tickets do not disturb the applier's reads.
    private PaddedLong _claimed;
    private PaddedLong _applied;

    /// <summary>How many hits were ever recorded.</summary>
    public long Recorded => Volatile.Read(ref _claimed.Value);

    /// <summary>Appends a hit; false when the log is full and must be applied first.</summary>
    public bool TryAppend(CacheEntry entry)
    {
        while (true)
        {
            var ticket = Volatile.Read(ref _claimed.Value);
            if (ticket - Volatile.Read(ref _applied.Value) >= Size)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _claimed.Value, ticket + 1, ticket) == ticket)
            {
                Volatile.Write(ref _slots[ticket & Mask], entry);
                return true;
            }
        }
    }

    /// <summary>Moves every recorded hit, oldest first, to the newest end of the list. Caller holds the cache's lock.</summary>
    public void ApplyTo(RecencyList recency)
    {
        var end = Volatile.Read(ref _claimed.Value);
        for (var ticket = _applied.Value; ticket < end; ticket++)
        {
            ref var slot = ref _slots[ticket & Mask];
            var entry = Volatile.Read(ref slot);
            if (entry is null)
            {
                // The hit has claimed its ticket but not yet written the slot: a matter of instructions.
                var wait = new SpinWait();
                while ((entry = Volatile.Read(ref slot)) is null)
                {
                    wait.SpinOnce();
                }
            }

            slot = null;
            // An entry that left the cache since its hit (replaced, removed, evicted, expired) stays out.
            if (entry.IsCached)
            {
                recency.MoveToNewest(entry);
            }
        }

        Volatile.Write(ref _applied.Value, end);
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct PaddedLong
    {
        [System.Runtime.InteropServices.FieldOffset(64)]
        public long Value;
    }
}
