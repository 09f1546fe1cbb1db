using BenchmarkDotNet.Attributes;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>Nine lookups to one overwrite, over keys that are all cached, in a random order.</summary>
public class MixedBenchmarks : CacheBenchmark
{
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void BitFasterConcurrentLru() => OnEachThread(thread =>
    {
        var (keys, value, order) = (Present.Bytes, Present.Value, Orders[thread]);
        for (var n = 0; n < order.Length; n++)
        {
            var key = keys[order[n]];
            if (IsWrite(n))
            {
                BitFaster.AddOrUpdate(key, value);
            }
            else
            {
                BitFaster.TryGet(key, out _);
            }
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void LruCache() => OnEachThread(thread =>
    {
        var (keys, value, order) = (Present.Bytes, Present.Value, Orders[thread]);
        for (var n = 0; n < order.Length; n++)
        {
            var key = keys[order[n]];
            if (IsWrite(n))
            {
                Lru.Set(Lru.CreateEntry(key, value));
            }
            else
            {
                Lru.TryGet(key, out _);
            }
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public void MemoryCache() => OnEachThread(thread =>
    {
        var (keys, value, order) = (Present.Strings, Present.Value, Orders[thread]);
        for (var n = 0; n < order.Length; n++)
        {
            var key = keys[order[n]];
            if (IsWrite(n))
            {
                SetMemory(key, value);
            }
            else
            {
                Memory.TryGetValue(key, out _);
            }
        }
    });

    private static bool IsWrite(int n) => n % 10 == 9;
}
