namespace RedisProxy.Api.Caching;

/// <summary>
/// One cached key and value, stored together in a single array to keep the per-entry overhead small,
/// and linked into the cache's recency list. Immutable apart from its links, so a reader may keep
/// <see cref="Value"/> after the cache lock is released.
/// </summary>
internal sealed class CacheEntry
{
    private readonly byte[] _keyAndValue;
    private readonly int _keyLength;

    public CacheEntry(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expiresAt)
    {
        _keyAndValue = GC.AllocateUninitializedArray<byte>(key.Length + value.Length);
        key.CopyTo(_keyAndValue);
        value.CopyTo(_keyAndValue.AsSpan(key.Length));
        _keyLength = key.Length;
        ExpiresAt = expiresAt;
    }

    /// <summary>The sentinel of a recency list: no key, never expires.</summary>
    private CacheEntry()
    {
        _keyAndValue = [];
        Newer = this;
        Older = this;
    }

    public static CacheEntry CreateSentinel() => new();

    public ReadOnlySpan<byte> Key => new(_keyAndValue, 0, _keyLength);

    public ReadOnlyMemory<byte> Value => new(_keyAndValue, _keyLength, _keyAndValue.Length - _keyLength);

    /// <summary>The <see cref="TimeProvider"/> timestamp from which the entry counts as absent.</summary>
    public long ExpiresAt { get; }

    public CacheEntry Newer { get; set; } = null!;

    public CacheEntry Older { get; set; } = null!;
}
