using RedisProxy.Api.Backend;

namespace RedisProxy.Api.Core;

/// <summary>
/// The keys whose every change Redis tells the proxy of, and so the only keys the cache may take: every key without
/// invalidation (the seed's semantics: entries live until they expire), and with tracking the hash slots of the
/// primaries whose invalidation channel is armed (all keys, off a cluster, once its one channel is). Immutable.
/// </summary>
internal sealed class CacheCoverage : IEquatable<CacheCoverage>
{
    /// <summary>Every key, whatever its slot.</summary>
    public static readonly CacheCoverage Everything = new(null);

    /// <summary>No key at all.</summary>
    public static readonly CacheCoverage Nothing = new(new ulong[HashSlot.Count / 64]);

    /// <summary>One bit per hash slot; null for every key.</summary>
    private readonly ulong[]? _slots;

    private CacheCoverage(ulong[]? slots) => _slots = slots;

    public bool IsEverything => _slots is null;

    public bool IsNothing => _slots is not null && Array.TrueForAll(_slots, word => word == 0);

    /// <summary>The slots in the ranges, both ends included; <see cref="Everything"/> when that is every slot.</summary>
    public static CacheCoverage OfSlots(IEnumerable<(int Start, int End)> ranges)
    {
        var slots = new ulong[HashSlot.Count / 64];
        foreach (var (start, end) in ranges)
        {
            for (var slot = Math.Max(start, 0); slot <= Math.Min(end, HashSlot.Count - 1); slot++)
            {
                slots[slot >> 6] |= 1UL << (slot & 63);
            }
        }

        return Array.TrueForAll(slots, word => word == ulong.MaxValue) ? Everything : new CacheCoverage(slots);
    }

    public bool Covers(ReadOnlySpan<byte> key)
    {
        if (_slots is null)
        {
            return true;
        }

        var slot = HashSlot.Of(key);
        return (_slots[slot >> 6] & (1UL << (slot & 63))) != 0;
    }

    /// <summary>Whether every key this covers, <paramref name="other"/> covers too.</summary>
    public bool IsWithin(CacheCoverage other)
    {
        if (other._slots is null)
        {
            return true;
        }

        if (_slots is null)
        {
            return false;
        }

        for (var i = 0; i < _slots.Length; i++)
        {
            if ((_slots[i] & ~other._slots[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(CacheCoverage? other) =>
        other is not null && (ReferenceEquals(_slots, other._slots) || (_slots is not null && other._slots is not null && _slots.AsSpan().SequenceEqual(other._slots)));

    public override bool Equals(object? obj) => Equals(obj as CacheCoverage);

    public override int GetHashCode() => _slots is null ? 0 : _slots.Length;
}
