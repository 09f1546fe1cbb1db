using System.Buffers.Binary;

namespace RedisProxy.Api.Caching;

/// <summary>
/// One cached key of a database and its value, stored together in a single array to keep the per-entry overhead small,
/// chained into its bucket of the <see cref="CacheIndex"/> and linked into the <see cref="RecencyList"/>. The key,
/// value and expiry never change, so a reader may keep <see cref="Value"/> after the entry has left the cache.
/// </summary>
internal sealed class CacheEntry
{
    /// <summary>The <see cref="Place"/> of an entry not in the cache (no slot is 0 with generation 0).</summary>
    public const long NotCached = 0;

    /// <summary>The database number (4 bytes, only when not 0), the key, then the value.</summary>
    private readonly byte[] _keyAndValue;

    /// <summary>The key's length; its complement when the array starts with a database number.</summary>
    private readonly int _keyLength;
    private long _place;
    private CacheEntry? _nextInBucket;

    public CacheEntry(ReadOnlySpan<byte> key, int database, ReadOnlySpan<byte> value, int hash, long expiresAt, long surelyFreshBefore)
    {
        var keyStart = database == 0 ? 0 : sizeof(int);
        _keyAndValue = GC.AllocateUninitializedArray<byte>(keyStart + key.Length + value.Length);
        if (database != 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_keyAndValue, database);
        }

        key.CopyTo(_keyAndValue.AsSpan(keyStart));
        value.CopyTo(_keyAndValue.AsSpan(keyStart + key.Length));
        _keyLength = database == 0 ? key.Length : ~key.Length;
        Hash = hash;
        ExpiresAt = expiresAt;
        SurelyFreshBefore = surelyFreshBefore;
    }

    public ReadOnlySpan<byte> Key => _keyLength >= 0 ? new(_keyAndValue, 0, _keyLength) : new(_keyAndValue, sizeof(int), ~_keyLength);

    /// <summary>The Redis database the key belongs to (SELECT).</summary>
    public int Database => _keyLength >= 0 ? 0 : BinaryPrimitives.ReadInt32LittleEndian(_keyAndValue);

    /// <summary>Key and value bytes together: what CACHE_MAX_BYTES counts.</summary>
    public int Size => _keyAndValue.Length;

    public ReadOnlyMemory<byte> Value
    {
        get
        {
            var valueStart = _keyLength >= 0 ? _keyLength : sizeof(int) + ~_keyLength;
            return new(_keyAndValue, valueStart, _keyAndValue.Length - valueStart);
        }
    }

    /// <summary>The key's hash in its database (<see cref="CacheIndex.Hash(ReadOnlySpan{byte}, int)"/>).</summary>
    public int Hash { get; }

    /// <summary>The <see cref="TimeProvider"/> timestamp from which the entry counts as absent.</summary>
    public long ExpiresAt { get; }

    /// <summary>
    /// An <see cref="Environment.TickCount64"/> before which the entry cannot have expired, so a hit can skip the
    /// precise clock (a third of a hit's cost); <see cref="long.MinValue"/> when the cache's clock is not the system's.
    /// </summary>
    public long SurelyFreshBefore { get; }

    /// <summary>
    /// The next entry in the same index bucket; kept when the entry is removed, so a reader walking the chain goes on.
    /// Set with release semantics, so an entry it publishes is complete when a reader without a lock gets to it.
    /// </summary>
    public CacheEntry? NextInBucket
    {
        get => _nextInBucket;
        set => Volatile.Write(ref _nextInBucket, value);
    }

    /// <summary>
    /// Where the entry sits in the <see cref="RecencyList"/> while it is cached (its slot and the slot's generation,
    /// see <see cref="RecencyList.Place"/>); <see cref="NotCached"/> before and after. Written under the cache's lock;
    /// a hit reads it without one to record itself in the <see cref="AccessLog"/>.
    /// </summary>
    public long Place
    {
        get => Volatile.Read(ref _place);
        set => Volatile.Write(ref _place, value);
    }

    public bool IsCached => Place != NotCached;
}
