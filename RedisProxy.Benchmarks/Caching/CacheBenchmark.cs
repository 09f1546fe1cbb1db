using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Core;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>
/// What the cache benchmarks share: the three caches at one capacity, a run of <see cref="Operations"/> operations
/// per invocation split over <see cref="Threads"/> threads (so the reported time per operation is the inverse of
/// throughput), and BitFaster's <see cref="ConcurrentLru{K, V}"/> as the baseline each ratio is against.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CacheBenchmarkConfig))]
public abstract class CacheBenchmark
{
    public const int Capacity = 10_000;
    public const int Operations = 1 << 16;

    private static readonly MemoryCacheEntryOptions OneUnit = new() { Size = 1 };

    [Params(1, 2)]
    public int Threads { get; set; }

    internal LruCache Lru { get; private set; } = null!;

    internal ConcurrentLru<byte[], byte[]> BitFaster { get; private set; } = null!;

    internal MemoryCache Memory { get; private set; } = null!;

    internal CacheWorkload Present { get; private set; } = null!;

    internal int[][] Orders { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Lru = new LruCache(Capacity, TimeSpan.FromHours(1), TimeProvider.System);
        BitFaster = new ConcurrentLru<byte[], byte[]>(Environment.ProcessorCount, Capacity, ByteArrayKeyComparer.Instance);
        Memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = Capacity });
        Present = new CacheWorkload(Capacity, "key");
        for (var i = 0; i < Capacity; i++)
        {
            Lru.Set(Lru.CreateEntry(Present.Bytes[i], Present.Value));
            BitFaster.AddOrUpdate(Present.Bytes[i], Present.Value);
            SetMemory(Present.Strings[i], Present.Value);
        }

        Orders = CacheWorkload.RandomOrders(Threads, Operations / Threads, Capacity);
        SetupWorkload();
    }

    [GlobalCleanup]
    public void Cleanup() => Memory.Dispose();

    /// <summary>Prepares what one benchmark needs beyond the filled caches.</summary>
    protected virtual void SetupWorkload()
    {
    }

    internal void SetMemory(string key, byte[] value) => Memory.Set(key, value, OneUnit);

    /// <summary>Runs <paramref name="work"/> once per thread with the thread's index; inline when there is one.</summary>
    protected void OnEachThread(Action<int> work)
    {
        if (Threads == 1)
        {
            work(0);
            return;
        }

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, work);
    }
}
