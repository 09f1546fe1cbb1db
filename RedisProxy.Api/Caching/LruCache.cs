using System.Diagnostics.CodeAnalysis;

namespace RedisProxy.Api.Caching;

/// <summary>
/// An exact least-recently-used cache of byte keys and values with a fixed entry capacity and one global
/// expiry. A hash set finds entries, a circular doubly linked list keeps them in recency order; both change
/// under one lock, so every operation is O(1) and a hit allocates nothing. Expired entries count as absent
/// and are dropped when met, so no background thread is needed.
/// </summary>
internal sealed class LruCache
{
    private readonly HashSet<CacheEntry> _entries;
    private readonly HashSet<CacheEntry>.AlternateLookup<ReadOnlySpan<byte>> _entriesBySpan;
    private readonly CacheEntry _sentinel = CacheEntry.CreateSentinel();
    private readonly TimeProvider _time;
    private readonly long _expiryTicks;
    private readonly Lock _lock = new();
    private long _writeVersion;
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _expirations;

    public LruCache(int capacity, TimeSpan expiry, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, TimeSpan.Zero);
        Capacity = capacity;
        _time = time;
        _expiryTicks = checked((long)Math.Ceiling(expiry.TotalSeconds * time.TimestampFrequency));
        _entries = new HashSet<CacheEntry>(capacity, CacheKeyComparer.Instance);
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Capacity { get; }

    /// <summary>Entries held, expired ones not yet dropped included; see <see cref="Snapshot"/>.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public CacheStatistics Statistics => new(
        Interlocked.Read(ref _hits),
        Interlocked.Read(ref _misses),
        Interlocked.Read(ref _evictions),
        Interlocked.Read(ref _expirations));

    /// <summary>
    /// Changes whenever a write goes through the cache, so a read that started before a write can tell that its
    /// value may be stale (see <see cref="TryAdd"/>).
    /// </summary>
    public long WriteVersion => Interlocked.Read(ref _writeVersion);

    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_entriesBySpan.TryGetValue(key, out var entry))
            {
                if (now < entry.ExpiresAt)
                {
                    MoveToNewest(entry);
                    _hits++;
                    value = entry.Value;
                    return true;
                }

                RemoveEntry(entry);
                _expirations++;
            }

            _misses++;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// <see cref="TryGet(ReadOnlySpan{byte}, out ReadOnlyMemory{byte})"/> that also says how long the entry has left
    /// before it expires, for callers that tell their clients how long they may reuse the value.
    /// </summary>
    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value, out TimeSpan timeToLive)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_entriesBySpan.TryGetValue(key, out var entry))
            {
                if (now < entry.ExpiresAt)
                {
                    MoveToNewest(entry);
                    _hits++;
                    value = entry.Value;
                    timeToLive = _time.GetElapsedTime(now, entry.ExpiresAt);
                    return true;
                }

                RemoveEntry(entry);
                _expirations++;
            }

            _misses++;
        }

        value = default;
        timeToLive = default;
        return false;
    }

    /// <summary>How long an entry lives after it is cached: the configured CACHE_EXPIRY.</summary>
    public TimeSpan Expiry => _time.GetElapsedTime(0, _expiryTicks);

    /// <summary>Makes an entry that expires one cache expiry from now, ready for <see cref="Set"/> or <see cref="TryAdd"/>.</summary>
    public CacheEntry CreateEntry(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        new(key, value, _time.GetTimestamp() + _expiryTicks);

    /// <summary>Caches a value written through the proxy: it replaces whatever the key held.</summary>
    public void Set(CacheEntry entry)
    {
        lock (_lock)
        {
            _writeVersion++;
            Insert(entry);
        }
    }

    /// <summary>
    /// Caches a value read from the backend, unless a write went through the cache since
    /// <paramref name="readStartedAtVersion"/>: the value read may then be older than the one written.
    /// </summary>
    public bool TryAdd(CacheEntry entry, long readStartedAtVersion)
    {
        lock (_lock)
        {
            if (_writeVersion != readStartedAtVersion)
            {
                return false;
            }

            Insert(entry);
            return true;
        }
    }

    public bool Remove(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            _writeVersion++;
            if (!_entriesBySpan.TryGetValue(key, out var entry))
            {
                return false;
            }

            RemoveEntry(entry);
            return true;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _writeVersion++;
            _entries.Clear();
            _sentinel.Newer = _sentinel;
            _sentinel.Older = _sentinel;
        }
    }

    /// <summary>Drops expired entries, then lists the keys from least to most recently used.</summary>
    public CacheSnapshot Snapshot()
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var keys = new List<byte[]>(_entries.Count);
            var entry = _sentinel.Newer;
            while (entry != _sentinel)
            {
                var newer = entry.Newer;
                if (now < entry.ExpiresAt)
                {
                    keys.Add(entry.Key.ToArray());
                }
                else
                {
                    RemoveEntry(entry);
                    _expirations++;
                }

                entry = newer;
            }

            return new CacheSnapshot(keys, Capacity);
        }
    }

    private void Insert(CacheEntry entry)
    {
        if (_entries.TryGetValue(entry, out var existing))
        {
            RemoveEntry(existing);
        }
        else if (_entries.Count >= Capacity)
        {
            RemoveEntry(_sentinel.Newer);
            _evictions++;
        }

        _entries.Add(entry);
        LinkAsNewest(entry);
    }

    private void MoveToNewest(CacheEntry entry)
    {
        if (entry.Newer == _sentinel)
        {
            return;
        }

        Unlink(entry);
        LinkAsNewest(entry);
    }

    private void RemoveEntry(CacheEntry entry)
    {
        _entries.Remove(entry);
        Unlink(entry);
    }

    // The sentinel's Newer is the least recently used entry and its Older the most recently used one.
    private void LinkAsNewest(CacheEntry entry)
    {
        var newest = _sentinel.Older;
        entry.Older = newest;
        entry.Newer = _sentinel;
        newest.Newer = entry;
        _sentinel.Older = entry;
    }

    private static void Unlink(CacheEntry entry)
    {
        entry.Older.Newer = entry.Newer;
        entry.Newer.Older = entry.Older;
    }
}
