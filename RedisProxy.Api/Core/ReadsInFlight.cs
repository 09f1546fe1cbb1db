using System.Collections.Concurrent;
using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Core;

/// <summary>
/// The backend reads of one database in flight, by key (single-flight): a miss joins the read of its key when there
/// is one, so concurrent misses make one backend call. A change of the key detaches its read, so misses that come
/// after the change start a read of their own.
/// </summary>
internal sealed class ReadsInFlight
{
    private readonly ConcurrentDictionary<byte[], Task<CacheEntry?>> _reads = new(ByteArrayKeyComparer.Instance);
    private readonly ConcurrentDictionary<byte[], Task<CacheEntry?>>.AlternateLookup<ReadOnlySpan<byte>> _readsBySpan;

    public ReadsInFlight() => _readsBySpan = _reads.GetAlternateLookup<ReadOnlySpan<byte>>();

    /// <summary>The read of the key in flight, if there is one; looked up without copying the key.</summary>
    public bool TryFind(ReadOnlySpan<byte> key, out Task<CacheEntry?> read) => _readsBySpan.TryGetValue(key, out read!);

    /// <summary>Lists <paramref name="read"/> for the key, unless another read got there first: that one is returned.</summary>
    public Task<CacheEntry?> Join(byte[] key, Task<CacheEntry?> read) => _reads.GetOrAdd(key, read);

    /// <summary>Unlists a read that has finished, unless it was detached (and perhaps replaced) already.</summary>
    public void Finish(byte[] key, Task<CacheEntry?> read) => _reads.TryRemove(new KeyValuePair<byte[], Task<CacheEntry?>>(key, read));

    public void Detach(ReadOnlySpan<byte> key) => _readsBySpan.TryRemove(key, out _);

    public void DetachAll() => _reads.Clear();
}
