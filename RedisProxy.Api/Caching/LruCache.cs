namespace RedisProxy.Api.Caching;

/// <summary>
/// An exact least-recently-used cache of byte keys and values, with a fixed entry capacity, a byte budget and one
/// expiry. Hits take no lock and allocate nothing; everything else holds one lock. Design: Caching/README.md.
/// </summary>
internal sealed class LruCache
{
    /// <summary>How far before the expiry a hit stops trusting the coarse clock (see Caching/README.md, two clocks).</summary>
    private const long CoarseClockMarginMilliseconds = 50;
    private const long CoarseClockDriftDivisor = 1000;

    private readonly CacheIndex _index;
    private readonly RecencyList _recency;
    private readonly AccessLog _hitLog = new();

    private readonly TimeProvider _time;
    private readonly long _expiryTicks;

    /// <summary>Whether hits may trust the coarse clock: only with the system's own clock (a test's fake one never moves it).</summary>
    private readonly bool _coarseClockFollowsTime;
    private readonly Lock _lock = new();
    private readonly long _maxBytes;
    private readonly int _maxValueBytes;
    private int _count;
    private long _bytes;

    /// <summary>Writes recorded in the access log beside the hits (see <see cref="Insert"/>), which are not hits.</summary>
    private long _recordedWrites;
    private long _misses;
    private long _evictions;
    private long _expirations;

    /// <param name="maxBytes">The most key and value bytes held together (CACHE_MAX_BYTES); 0 for no limit.</param>
    /// <param name="maxValueBytes">The largest value cached (CACHE_MAX_VALUE_BYTES); 0 for no limit.</param>
    public LruCache(int capacity, TimeSpan expiry, TimeProvider time, long maxBytes = 0, int maxValueBytes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxValueBytes);
        Capacity = capacity;
        _maxBytes = maxBytes;
        _maxValueBytes = maxValueBytes;
        _time = time;
        _expiryTicks = checked((long)Math.Ceiling(expiry.TotalSeconds * time.TimestampFrequency));
        _coarseClockFollowsTime = time == TimeProvider.System;
        _index = new CacheIndex(capacity);
        _recency = new RecencyList(capacity);
    }

    public int Capacity { get; }

    /// <summary>Entries held, expired ones not yet dropped included; see <see cref="Snapshot"/>.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Key and value bytes held, expired entries not yet dropped included.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public CacheStatistics Statistics
    {
        get
        {
            // The log holds writes too. They are recorded and counted under the lock, so under it the difference is
            // exactly the hits recorded so far, and never goes back between two readings.
            lock (_lock)
            {
                return new(
                    _hitLog.Recorded - _recordedWrites,
                    Interlocked.Read(ref _misses),
                    Interlocked.Read(ref _evictions),
                    Interlocked.Read(ref _expirations));
            }
        }
    }

    /// <summary>A lookup in database 0.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value) => TryGet(key, 0, out value);

    public bool TryGet(ReadOnlySpan<byte> key, int database, out ReadOnlyMemory<byte> value)
    {
        var entry = _index.Find(key, database, CacheIndex.Hash(key, database));
        if (entry is not null)
        {
            if (Environment.TickCount64 < entry.SurelyFreshBefore || _time.GetTimestamp() < entry.ExpiresAt)
            {
                RecordHit(entry);
                value = entry.Value;
                return true;
            }

            DropExpired(entry);
        }

        Interlocked.Increment(ref _misses);
        value = default;
        return false;
    }

    /// <summary>
    /// <see cref="TryGet(ReadOnlySpan{byte}, int, out ReadOnlyMemory{byte})"/> that also says how long the entry has
    /// left before it expires, for callers that tell their clients how long they may reuse the value.
    /// </summary>
    public bool TryGet(ReadOnlySpan<byte> key, int database, out ReadOnlyMemory<byte> value, out TimeSpan timeToLive)
    {
        var entry = _index.Find(key, database, CacheIndex.Hash(key, database));
        if (entry is not null)
        {
            // The time left needs the precise clock, so this overload skips the coarse-clock shortcut.
            var now = _time.GetTimestamp();
            if (now < entry.ExpiresAt)
            {
                RecordHit(entry);
                value = entry.Value;
                timeToLive = _time.GetElapsedTime(now, entry.ExpiresAt);
                return true;
            }

            DropExpired(entry);
        }

        Interlocked.Increment(ref _misses);
        value = default;
        timeToLive = default;
        return false;
    }

    /// <summary>The cache's clock now: where a lifetime handed to <see cref="CreateEntry(ReadOnlySpan{byte}, int, ReadOnlySpan{byte}, long, TimeSpan)"/> starts.</summary>
    public long Timestamp => _time.GetTimestamp();

    /// <summary>An entry of database 0 that expires one cache expiry from now, ready for <see cref="Set"/>.</summary>
    public CacheEntry CreateEntry(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => CreateEntry(key, 0, value, 0, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// An entry that expires one cache expiry from now, or sooner: <paramref name="timeToLive"/> after
    /// <paramref name="since"/> (a <see cref="Timestamp"/>), when that comes first; an infinite time to live sets no
    /// bound of its own.
    /// </summary>
    public CacheEntry CreateEntry(ReadOnlySpan<byte> key, int database, ReadOnlySpan<byte> value, long since, TimeSpan timeToLive)
    {
        // The coarse clock is read first: it may lag the precise one, never lead it, so the fresh window stays inside the expiry.
        var coarseNow = Environment.TickCount64;
        var now = _time.GetTimestamp();
        var expiresAt = now + _expiryTicks;
        if (timeToLive != Timeout.InfiniteTimeSpan)
        {
            expiresAt = Math.Min(expiresAt, since + (long)(timeToLive.TotalSeconds * _time.TimestampFrequency));
        }

        return new(key, database, value, CacheIndex.Hash(key, database), expiresAt, SurelyFreshBefore(coarseNow, now, expiresAt));
    }

    /// <summary>How long an entry lives after it is cached at most: the configured CACHE_EXPIRY.</summary>
    public TimeSpan Expiry => _time.GetElapsedTime(0, _expiryTicks);

    /// <summary>How long the entry has left from now (zero once it has expired).</summary>
    public TimeSpan TimeToLive(CacheEntry entry)
    {
        var now = _time.GetTimestamp();
        return now < entry.ExpiresAt ? _time.GetElapsedTime(now, entry.ExpiresAt) : TimeSpan.Zero;
    }

    /// <summary>Caches a value, replacing whatever the key held.</summary>
    public void Set(CacheEntry entry)
    {
        lock (_lock)
        {
            Insert(entry);
        }
    }

    /// <summary>Removes the key from database 0.</summary>
    public bool Remove(ReadOnlySpan<byte> key) => Remove(key, 0);

    public bool Remove(ReadOnlySpan<byte> key, int database)
    {
        lock (_lock)
        {
            return RemoveKey(key, database, CacheIndex.Hash(key, database));
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _hitLog.ApplyTo(_recency);
            _index.Clear();
            _recency.Clear();
            Volatile.Write(ref _count, 0);
            Interlocked.Exchange(ref _bytes, 0);
        }
    }

    /// <summary>Drops expired entries, then lists the keys of a database from least to most recently used.</summary>
    public CacheSnapshot Snapshot(int database = 0)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _hitLog.ApplyTo(_recency);
            var keys = new List<byte[]>(_count);
            _recency.ForEachOldestFirst((Cache: this, Keys: keys, Now: now, Database: database), static (entry, state) =>
            {
                if (state.Now < entry.ExpiresAt)
                {
                    if (entry.Database == state.Database)
                    {
                        state.Keys.Add(entry.Key.ToArray());
                    }
                }
                else
                {
                    state.Cache.RemoveEntry(entry);
                    state.Cache._expirations++;
                }
            });

            return new CacheSnapshot(keys, Capacity);
        }
    }

    /// <summary>
    /// The coarse-clock time before which an entry expiring at <paramref name="expiresAt"/> cannot have expired: its
    /// time left less a margin over the coarse clock's resolution and drift; <see cref="long.MinValue"/> when too short.
    /// </summary>
    private long SurelyFreshBefore(long coarseNow, long now, long expiresAt)
    {
        if (!_coarseClockFollowsTime)
        {
            return long.MinValue;
        }

        var millisecondsLeft = (long)_time.GetElapsedTime(now, expiresAt).TotalMilliseconds;
        var fresh = millisecondsLeft - CoarseClockMarginMilliseconds - (millisecondsLeft / CoarseClockDriftDivisor);
        return fresh > 0 ? coarseNow + fresh : long.MinValue;
    }

    private void RecordHit(CacheEntry entry)
    {
        bool shouldApply;
        var place = entry.Place;
        while (!_hitLog.TryAppend(place, out shouldApply))
        {
            lock (_lock)
            {
                _hitLog.ApplyTo(_recency);
            }
        }

        // Whoever holds the lock applies the log anyway; nobody waits for it here.
        if (shouldApply && _lock.TryEnter())
        {
            try
            {
                _hitLog.ApplyTo(_recency);
            }
            finally
            {
                _lock.Exit();
            }
        }
    }

    private void DropExpired(CacheEntry entry)
    {
        lock (_lock)
        {
            // Another thread may have dropped or replaced it since it was found.
            if (entry.IsCached)
            {
                RemoveEntry(entry);
                _expirations++;
            }
        }
    }

    /// <summary>
    /// Caches an entry in place of the key's old one, if any. Only an eviction needs the recorded hits applied first:
    /// otherwise the entry is recorded in the access log like a hit, which makes it the newest after every hit recorded
    /// before it, so a write that evicts nothing does not wait for the hits' backlog. Caller holds the lock.
    /// </summary>
    private void Insert(CacheEntry entry)
    {
        var old = _index.Find(entry.Key, entry.Database, entry.Hash);

        // An entry too large to cache is not cached at all, and the key's old value is gone all the same: the caller
        // still serves the new value, and the old one must not outlive it.
        if ((_maxBytes > 0 && entry.Size > _maxBytes) || (_maxValueBytes > 0 && entry.Value.Length > _maxValueBytes))
        {
            if (old is not null)
            {
                RemoveEntry(old);
            }

            return;
        }

        if (old is not null)
        {
            _index.Replace(old, entry);
            _recency.Replace(old, entry);
            Interlocked.Add(ref _bytes, entry.Size - old.Size);
        }
        else
        {
            if (_count >= Capacity)
            {
                EvictOldest();
            }

            _recency.AddAsNewest(entry);
            _index.Add(entry);
            Volatile.Write(ref _count, _count + 1);
            Interlocked.Add(ref _bytes, entry.Size);
        }

        RecordWrite(entry);
        while (_maxBytes > 0 && _bytes > _maxBytes)
        {
            EvictOldest();
        }
    }

    /// <summary>Appends a write's move to the newest end to the access log, as a hit would. Caller holds the lock.</summary>
    private void RecordWrite(CacheEntry entry)
    {
        bool shouldApply;
        while (!_hitLog.TryAppend(entry.Place, out shouldApply))
        {
            _hitLog.ApplyTo(_recency);
        }

        _recordedWrites++;
        if (shouldApply)
        {
            _hitLog.ApplyTo(_recency);
        }
    }

    /// <summary>Evicts the least recently used entry, once every recorded hit has been applied. Caller holds the lock.</summary>
    private void EvictOldest()
    {
        _hitLog.ApplyTo(_recency);
        RemoveEntry(_recency.Oldest!);
        _evictions++;
    }

    /// <summary>Takes the key's entry out, if it has one. Caller holds the lock.</summary>
    private bool RemoveKey(ReadOnlySpan<byte> key, int database, int hash)
    {
        var entry = _index.Find(key, database, hash);
        if (entry is null)
        {
            return false;
        }

        RemoveEntry(entry);
        return true;
    }

    private void RemoveEntry(CacheEntry entry)
    {
        _index.Remove(entry);
        _recency.Remove(entry);
        Volatile.Write(ref _count, _count - 1);
        Interlocked.Add(ref _bytes, -entry.Size);
    }
}
