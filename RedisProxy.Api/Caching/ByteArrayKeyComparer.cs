using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace RedisProxy.Api.Caching;

/// <summary>Compares byte-array keys by content, and lets lookups use a span without allocating.</summary>
internal sealed class ByteArrayKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    /// <summary>Drawn once per process, so keys chosen by clients cannot be made to collide in advance.</summary>
    private static readonly long Seed = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(sizeof(long)));

    public static ByteArrayKeyComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    // Seeded XXH3, cheaper than HashCode.AddBytes with the same protection (Caching/README.md); low bits pick the bucket.
    public int GetHashCode(ReadOnlySpan<byte> alternate) => unchecked((int)XxHash3.HashToUInt64(alternate, Seed));

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
