namespace RedisProxy.Api.Caching;

/// <summary>
/// The read buffer of <see cref="LruCache"/>: a lossless ring of hits (and writes that evict nothing) appended without
/// a lock and drained in order into the <see cref="RecencyList"/> under the cache's lock. See Caching/README.md.
/// </summary>
internal sealed class AccessLog
{
    private const int Size = 1024;
    private const int Mask = Size - 1;
    private const int SlotsPerLine = 8;

    /// <summary>How many waiting hits make a hit offer to apply the log (every <see cref="OfferEvery"/> tickets).</summary>
    private const int ApplyThreshold = Size / 4;
    private const int OfferEvery = 64;

    /// <summary>How often <see cref="ApplyTo"/> tells appenders about the room it has made.</summary>
    private const int PublishEvery = 64;

    /// <summary>A slot not yet written: no entry's place is 0 (<see cref="CacheEntry.NotCached"/> is).</summary>
    private const long Empty = 0;

    /// <summary>
    /// What is recorded for a hit whose entry left before the hit read its place: it counts as a hit, and names the
    /// recency list's sentinel, which <see cref="RecencyList.MoveToNewest"/> never moves.
    /// </summary>
    private static readonly long Departed = RecencyList.Place(0, -1);

    private readonly long[] _slots = new long[Size];

    // Each counter on its own cache line, so hits claiming tickets do not disturb the applier's reads.
    private PaddedLong _claimed;
    private PaddedLong _applied;

    /// <summary>How many hits were ever recorded.</summary>
    public long Recorded => Volatile.Read(ref _claimed.Value);

    /// <summary>
    /// Appends a hit; false when the log is full and must be applied first. <paramref name="shouldApply"/> says that
    /// enough hits are waiting for this caller to apply them if it can take the lock without waiting.
    /// </summary>
    public bool TryAppend(long place, out bool shouldApply)
    {
        while (true)
        {
            var ticket = Volatile.Read(ref _claimed.Value);
            var waiting = ticket - Volatile.Read(ref _applied.Value);
            if (waiting >= Size)
            {
                shouldApply = true;
                return false;
            }

            if (Interlocked.CompareExchange(ref _claimed.Value, ticket + 1, ticket) == ticket)
            {
                Volatile.Write(ref _slots[SlotOf(ticket)], place == Empty ? Departed : place);
                shouldApply = waiting >= ApplyThreshold && (ticket & (OfferEvery - 1)) == 0;
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
            ref var slot = ref _slots[SlotOf(ticket)];
            var place = Volatile.Read(ref slot);
            if (place == Empty)
            {
                // The hit has claimed its ticket but not yet written the slot: a matter of instructions.
                var wait = new SpinWait();
                while ((place = Volatile.Read(ref slot)) == Empty)
                {
                    wait.SpinOnce();
                }
            }

            slot = Empty;
            // An entry that left the cache since its hit (replaced, removed, evicted, expired) stays out.
            recency.MoveToNewest(place);

            if ((ticket & (PublishEvery - 1)) == PublishEvery - 1)
            {
                Volatile.Write(ref _applied.Value, ticket + 1);
            }
        }

        Volatile.Write(ref _applied.Value, end);
    }

    /// <summary>
    /// Consecutive tickets, usually claimed by different threads, land in different cache lines (eight apart), so
    /// two threads appending do not keep taking one line from each other.
    /// </summary>
    private static int SlotOf(long ticket) => (int)(((ticket & (SlotsPerLine - 1)) * (Size / SlotsPerLine)) + ((ticket & Mask) / SlotsPerLine));

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct PaddedLong
    {
        [System.Runtime.InteropServices.FieldOffset(64)]
        public long Value;
    }
}
