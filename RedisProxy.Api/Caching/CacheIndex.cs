namespace RedisProxy.Api.Caching;

/// <summary>
/// Finds entries by key: a power-of-two array of buckets, each a chain through <see cref="CacheEntry.NextInBucket"/>.
/// Sized once for the cache's capacity, so it never resizes. Lookups take no lock: changes (made under the cache's
/// lock) publish an entry only once it is complete and never cut a removed entry's onward link.
/// </summary>
internal sealed class CacheIndex
{
    private readonly CacheEntry?[] _buckets;
    private readonly int _mask;

    public CacheIndex(int capacity)
    {
        var size = (int)Math.Min(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity), 1u << 30);
        _buckets = new CacheEntry?[size];
        _mask = size - 1;
    }

    /// <summary>The key's hash, seeded per process (see <see cref="ByteArrayKeyComparer"/>).</summary>
    public static int Hash(ReadOnlySpan<byte> key) => ByteArrayKeyComparer.Instance.GetHashCode(key);

    /// <summary>The key's hash in a database: in database 0 the key's own hash, in others mixed with the number.</summary>
    public static int Hash(ReadOnlySpan<byte> key, int database) => Hash(key) ^ unchecked(database * (int)0x9E3779B9);

    public CacheEntry? Find(ReadOnlySpan<byte> key, int database, int hash)
    {
        var entry = Volatile.Read(ref _buckets[hash & _mask]);
        while (entry is not null)
        {
            if (entry.Hash == hash && entry.Key.SequenceEqual(key) && entry.Database == database)
            {
                return entry;
            }

            entry = entry.NextInBucket;
        }

        return null;
    }

    /// <summary>Adds an entry whose key is not in the index. Caller holds the cache's lock.</summary>
    public void Add(CacheEntry entry)
    {
        ref var bucket = ref _buckets[entry.Hash & _mask];
        entry.NextInBucket = bucket;
        Volatile.Write(ref bucket, entry);
    }

    /// <summary>Unchains an entry that is in the index. Caller holds the cache's lock.</summary>
    public void Remove(CacheEntry entry) => Relink(entry, entry.NextInBucket);

    /// <summary>
    /// Puts <paramref name="entry"/> where the indexed <paramref name="old"/> of the same key is, so a reader meanwhile
    /// finds one or the other, never neither (a removal and an add would let it miss). Caller holds the cache's lock.
    /// </summary>
    public void Replace(CacheEntry old, CacheEntry entry)
    {
        entry.NextInBucket = old.NextInBucket;
        Relink(old, entry);
    }

    /// <summary>Points the link that leads to <paramref name="entry"/> at <paramref name="next"/> instead; the entry keeps its own onward link.</summary>
    private void Relink(CacheEntry entry, CacheEntry? next)
    {
        ref var bucket = ref _buckets[entry.Hash & _mask];
        if (bucket == entry)
        {
            Volatile.Write(ref bucket, next);
            return;
        }

        var previous = bucket!;
        while (previous.NextInBucket != entry)
        {
            previous = previous.NextInBucket!;
        }

        previous.NextInBucket = next;
    }

    /// <summary>Empties every bucket. Caller holds the cache's lock.</summary>
    public void Clear() => Array.Clear(_buckets);
}
