namespace RedisProxy.Api.Caching;

/// <summary>
/// The entries in recency order: a circular doubly linked list of slot numbers around slot 0, the sentinel, whose
/// <c>Newer</c> is the least recently used entry and whose <c>Older</c> the most recently used. Not thread-safe.
/// </summary>
internal sealed class RecencyList
{
    private const int Sentinel = 0;
    private const int FirstGrowth = 1024;

    private readonly int _maxSlots;
    private Link[] _links;
    private CacheEntry?[] _entries;

    /// <summary>Slots never used yet start here; freed ones are chained through <see cref="Link.Newer"/> from <see cref="_free"/>.</summary>
    private int _unused = 1;
    private int _free = Sentinel;

    /// <param name="capacity">The most entries ever held at once; the arrays grow towards it as they fill.</param>
    public RecencyList(int capacity)
    {
        _maxSlots = capacity + 1;
        var initial = Math.Min(_maxSlots, FirstGrowth);
        _links = new Link[initial];
        _entries = new CacheEntry?[initial];
    }

    /// <summary>The least recently used entry, or null when the list is empty.</summary>
    public CacheEntry? Oldest => _entries[_links[Sentinel].Newer];

    /// <summary>
    /// A slot and its generation in one word. The generation changes whenever the slot's entry leaves, so a hit
    /// recorded for an entry that has left since (and whose slot may hold another entry by now) moves nothing.
    /// </summary>
    public static long Place(int slot, int generation) => ((long)generation << 32) | (uint)slot;

    public void AddAsNewest(CacheEntry entry)
    {
        var slot = TakeSlot();
        Occupy(slot, entry);
        LinkAsNewest(slot);
    }

    /// <summary>
    /// Puts <paramref name="entry"/> in <paramref name="old"/>'s slot, where the old one was in the order, under a new
    /// generation: a hit that found the old entry returned the old value, so even if its record lands after the
    /// write's, it must not move the new one (no single-threaded test can reach that race). The caller records the new
    /// entry's move to the newest end in the access log.
    /// </summary>
    public void Replace(CacheEntry old, CacheEntry entry)
    {
        var slot = (int)old.Place;
        Vacate(slot);
        Occupy(slot, entry);
    }

    /// <summary>Moves the entry at <paramref name="place"/> to the newest end, unless it has left the cache since.</summary>
    public void MoveToNewest(long place)
    {
        var slot = (int)place;
        if ((uint)slot >= (uint)_unused || slot == Sentinel || _links[slot].Generation != (int)(place >> 32))
        {
            return;
        }

        if (_links[slot].Newer == Sentinel)
        {
            return;
        }

        Unlink(slot);
        LinkAsNewest(slot);
    }

    /// <summary>Takes the entry out; from then on <see cref="CacheEntry.IsCached"/> is false.</summary>
    public void Remove(CacheEntry entry)
    {
        var slot = (int)entry.Place;
        Unlink(slot);
        Vacate(slot);
        _links[slot].Newer = _free;
        _free = slot;
    }

    /// <summary>Takes every entry out, so log records of them that are still pending are skipped.</summary>
    public void Clear()
    {
        for (var slot = _links[Sentinel].Newer; slot != Sentinel; slot = _links[slot].Newer)
        {
            Vacate(slot);
        }

        _links[Sentinel].Newer = Sentinel;
        _links[Sentinel].Older = Sentinel;
        _unused = 1;
        _free = Sentinel;
    }

    /// <summary>Visits the entries from least to most recently used; the visitor may remove the entry it is given.</summary>
    public void ForEachOldestFirst<TState>(TState state, Action<CacheEntry, TState> visit)
    {
        var slot = _links[Sentinel].Newer;
        while (slot != Sentinel)
        {
            var newer = _links[slot].Newer;
            visit(_entries[slot]!, state);
            slot = newer;
        }
    }

    private int TakeSlot()
    {
        if (_free != Sentinel)
        {
            var slot = _free;
            _free = _links[slot].Newer;
            return slot;
        }

        if (_unused == _links.Length)
        {
            // Grown by doubling, so a large capacity that is never filled costs only what is held.
            var length = (int)Math.Min((long)_links.Length * 2, _maxSlots);
            Array.Resize(ref _links, length);
            Array.Resize(ref _entries, length);
        }

        return _unused++;
    }

    private void Occupy(int slot, CacheEntry entry)
    {
        _entries[slot] = entry;
        entry.Place = Place(slot, _links[slot].Generation);
    }

    private void Vacate(int slot)
    {
        _entries[slot]!.Place = CacheEntry.NotCached;
        _entries[slot] = null;
        _links[slot].Generation++;
    }

    private void LinkAsNewest(int slot)
    {
        var newest = _links[Sentinel].Older;
        _links[slot].Newer = Sentinel;
        _links[slot].Older = newest;
        _links[newest].Newer = slot;
        _links[Sentinel].Older = slot;
    }

    private void Unlink(int slot)
    {
        var (newer, older) = (_links[slot].Newer, _links[slot].Older);
        _links[older].Newer = newer;
        _links[newer].Older = older;
    }

    private struct Link
    {
        public int Newer;
        public int Older;

        /// <summary>How many entries have left this slot (wrapping is harmless: see <see cref="Place"/>).</summary>
        public int Generation;
    }
}
