namespace RedisProxy.Api.Caching;

/// <summary>
/// The entries in recency order: a circular doubly linked list around a sentinel, whose <c>Newer</c> is the least
/// recently used entry and whose <c>Older</c> the most recently used one. Not thread-safe; the cache's lock guards it.
/// </summary>
internal sealed class RecencyList
{
    private readonly CacheEntry _sentinel = CacheEntry.CreateSentinel();

    /// <summary>The least recently used entry, or null when the list is empty.</summary>
    public CacheEntry? Oldest => _sentinel.Newer == _sentinel ? null : _sentinel.Newer;

    public void AddAsNewest(CacheEntry entry)
    {
        var newest = _sentinel.Older!;
        entry.Older = newest;
        entry.Newer = _sentinel;
        newest.Newer = entry;
        _sentinel.Older = entry;
    }

    public void MoveToNewest(CacheEntry entry)
    {
        if (entry.Newer == _sentinel)
        {
            return;
        }

        Unlink(entry);
        AddAsNewest(entry);
    }

    /// <summary>Takes the entry out; from then on <see cref="CacheEntry.IsCached"/> is false.</summary>
    public static void Remove(CacheEntry entry)
    {
        Unlink(entry);
        entry.Newer = null;
        entry.Older = null;
    }

    /// <summary>Takes every entry out, so log records of them that are still pending are skipped.</summary>
    public void Clear()
    {
        var entry = _sentinel.Newer!;
        while (entry != _sentinel)
        {
            var newer = entry.Newer!;
            entry.Newer = null;
            entry.Older = null;
            entry = newer;
        }

        _sentinel.Newer = _sentinel;
        _sentinel.Older = _sentinel;
    }

    /// <summary>Visits the entries from least to most recently used; the visitor may remove the entry it is given.</summary>
    public void ForEachOldestFirst<TState>(TState state, Action<CacheEntry, TState> visit)
    {
        var entry = _sentinel.Newer!;
        while (entry != _sentinel)
        {
            var newer = entry.Newer!;
            visit(entry, state);
            entry = newer;
        }
    }

    private static void Unlink(CacheEntry entry)
    {
        entry.Older!.Newer = entry.Newer;
        entry.Newer!.Older = entry.Older;
    }
}
