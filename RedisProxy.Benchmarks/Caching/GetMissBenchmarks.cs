using BenchmarkDotNet.Attributes;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>Lookups of keys that were never cached, against a full cache.</summary>
public class GetMissBenchmarks : CacheBenchmark
{
    private CacheWorkload _absent = null!;

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void BitFasterConcurrentLru() => OnEachThread(thread =>
    {
        var keys = _absent.Bytes;
        foreach (var i in Orders[thread])
        {
            BitFaster.TryGet(keys[i], out _);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void LruCache() => OnEachThread(thread =>
    {
        var keys = _absent.Bytes;
        foreach (var i in Orders[thread])
        {
            Lru.TryGet(keys[i], out _);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void MemoryCache() => OnEachThread(thread =>
    {
        var keys = _absent.Strings;
        foreach (var i in Orders[thread])
        {
            Memory.TryGetValue(keys[i], out _);
        }
    });

    protected override void SetupWorkload() => _absent = new CacheWorkload(Capacity, "absent");
}
