using BenchmarkDotNet.Attributes;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>Lookups of keys that are all cached, in a random order over the whole capacity.</summary>
public class GetHitBenchmarks : CacheBenchmark
{
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void BitFasterConcurrentLru() => OnEachThread(thread =>
    {
        var keys = Present.Bytes;
        foreach (var i in Orders[thread])
        {
            BitFaster.TryGet(keys[i], out _);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void LruCache() => OnEachThread(thread =>
    {
        var keys = Present.Bytes;
        foreach (var i in Orders[thread])
        {
            Lru.TryGet(keys[i], out _);
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void MemoryCache() => OnEachThread(thread =>
    {
        var keys = Present.Strings;
        foreach (var i in Orders[thread])
        {
            Memory.TryGetValue(keys[i], out _);
        }
    });
}
