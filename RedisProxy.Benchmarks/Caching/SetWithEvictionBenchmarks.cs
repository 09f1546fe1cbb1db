using BenchmarkDotNet.Attributes;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>
/// Inserts of new keys into a full cache, so each one evicts: every thread walks its own slice of a key space
/// four times the capacity in order, and a key comes round again long after it was evicted.
/// MemoryCache does not evict inline: over its size limit it refuses the entry and compacts in the background.
/// </summary>
public class SetWithEvictionBenchmarks : CacheBenchmark
{
    private CacheWorkload _keys = null!;
    private int[] _next = null!;

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void BitFasterConcurrentLru() => OnEachThread(thread =>
    {
        var (keys, value) = (_keys.Bytes, _keys.Value);
        for (var n = 0; n < Operations / Threads; n++)
        {
            BitFaster.AddOrUpdate(keys[NextKey(thread)], value);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void LruCache() => OnEachThread(thread =>
    {
        var (keys, value) = (_keys.Bytes, _keys.Value);
        for (var n = 0; n < Operations / Threads; n++)
        {
            Lru.Set(Lru.CreateEntry(keys[NextKey(thread)], value));
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void MemoryCache() => OnEachThread(thread =>
    {
        var (keys, value) = (_keys.Strings, _keys.Value);
        for (var n = 0; n < Operations / Threads; n++)
        {
            SetMemory(keys[NextKey(thread)], value);
        }
    });

    protected override void SetupWorkload()
    {
        _keys = new CacheWorkload(4 * Capacity, "new");
        _next = new int[Threads * 16];
    }

    // Each thread's cursor sits on its own cache line; thread t walks keys t, t + Threads, t + 2 Threads, ...
    private int NextKey(int thread)
    {
        ref var cursor = ref _next[thread * 16];
        var key = (cursor * Threads) + thread;
        cursor = key + Threads >= _keys.Bytes.Length ? 0 : cursor + 1;
        return key;
    }
}
