namespace RedisProxy.Api.Caching;

/// <summary>
/// Compares entries by key bytes and lets a lookup use a plain byte span, so a hit allocates nothing.
/// </summary>
internal sealed class CacheKeyComparer : IEqualityComparer<CacheEntry>, IAlternateEqualityComparer<ReadOnlySpan<byte>, CacheEntry>
{
    public static CacheKeyComparer Instance { get; } = new();

    public bool Equals(CacheEntry? x, CacheEntry? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.Key.SequenceEqual(y.Key));

    public int GetHashCode(CacheEntry obj) => Hash(obj.Key);

    public bool Equals(ReadOnlySpan<byte> alternate, CacheEntry other) => alternate.SequenceEqual(other.Key);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    // Lookups by span never need to build an entry.
    public CacheEntry Create(ReadOnlySpan<byte> alternate) =>
        throw new NotSupportedException("Entries are created by the cache, not by a lookup.");

    private static int Hash(ReadOnlySpan<byte> key) => Core.ByteArrayKeyComparer.Instance.GetHashCode(key);
}
