using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using BitFaster.Caching.Lru;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Core;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>
/// A quick check of how cache hits, and the 90/10 mix of hits and overwrites, scale from one thread to two, for a
/// shared machine: LruCache and ConcurrentLru take turns, eleven rounds each of 2^20 operations, and the best round
/// of each is printed (other load on the machine only ever makes a round slower, so the minimum is the steadiest).
/// </summary>
internal static class HitScaling
{
    private const int Rounds = 11;
    private const int Operations = 1 << 20;

    public static void Run()
    {
        var keys = new CacheWorkload(CacheBenchmark.Capacity, "key");
        var lru = new LruCache(CacheBenchmark.Capacity, TimeSpan.FromHours(1), TimeProvider.System);
        var bitFaster = new ConcurrentLru<byte[], byte[]>(Environment.ProcessorCount, CacheBenchmark.Capacity, ByteArrayKeyComparer.Instance);
        foreach (var key in keys.Bytes)
        {
            lru.Set(lru.CreateEntry(key, keys.Value));
            bitFaster.AddOrUpdate(key, keys.Value);
        }

        Console.WriteLine($"Best of {Rounds} rounds of {Operations:N0} operations, ns per operation (wall time / operations)");
        Console.WriteLine($"{"Workload",-9} {"Threads",7} {"LruCache",9} {"ConcurrentLru",14} {"LruCache throughput / ConcurrentLru",36}");
        foreach (var mixed in new[] { false, true })
        {
            foreach (var threads in new[] { 1, 2 })
            {
                var orders = CacheWorkload.RandomOrders(threads, Operations / threads, CacheBenchmark.Capacity);
                var best = (Lru: double.MaxValue, BitFaster: double.MaxValue);
                for (var round = 0; round < Rounds; round++)
                {
                    best.Lru = Math.Min(best.Lru, Time(threads, t => RunLru(lru, keys, orders[t], mixed)));
                    best.BitFaster = Math.Min(best.BitFaster, Time(threads, t => RunBitFaster(bitFaster, keys, orders[t], mixed)));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(mixed ? "90/10" : "hits"),-9} {threads,7} {best.Lru,9:F1} {best.BitFaster,14:F1} {best.BitFaster / best.Lru,35:F2}x"));
            }
        }
    }

    // Each loop runs only a few dozen times, too few for tiered compilation to promote it: compile it optimised at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunLru(LruCache cache, CacheWorkload keys, int[] order, bool mixed)
    {
        for (var n = 0; n < order.Length; n++)
        {
            var key = keys.Bytes[order[n]];
            if (mixed && n % 10 == 9)
            {
                cache.Set(cache.CreateEntry(key, keys.Value));
            }
            else
            {
                cache.TryGet(key, out _);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBitFaster(ConcurrentLru<byte[], byte[]> cache, CacheWorkload keys, int[] order, bool mixed)
    {
        for (var n = 0; n < order.Length; n++)
        {
            var key = keys.Bytes[order[n]];
            if (mixed && n % 10 == 9)
            {
                cache.AddOrUpdate(key, keys.Value);
            }
            else
            {
                cache.TryGet(key, out _);
            }
        }
    }

    private static double Time(int threads, Action<int> work)
    {
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, work);
        return clock.Elapsed.TotalNanoseconds / Operations;
    }
}
