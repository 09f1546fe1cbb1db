using System.Diagnostics;
using System.Globalization;
using BitFaster.Caching.Lru;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Core;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>
/// A quick check of how cache hits scale from one thread to two, for a shared machine: LruCache and ConcurrentLru
/// take turns, eleven rounds each of 2^20 random hits, and the best round of each is printed (other load on the
/// machine only ever makes a round slower, so the minimum is the steadiest figure).
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

        Console.WriteLine($"Cache hits, best of {Rounds} rounds of {Operations:N0}, ns per hit (wall time / hits)");
        Console.WriteLine($"{"Threads",7} {"LruCache",9} {"ConcurrentLru",14} {"LruCache throughput / ConcurrentLru",36}");
        foreach (var threads in new[] { 1, 2 })
        {
            var orders = CacheWorkload.RandomOrders(threads, Operations / threads, CacheBenchmark.Capacity);
            var best = (Lru: double.MaxValue, BitFaster: double.MaxValue);
            for (var round = 0; round < Rounds; round++)
            {
                best.Lru = Math.Min(best.Lru, Time(threads, t => { foreach (var i in orders[t]) { lru.TryGet(keys.Bytes[i], out _); } }));
                best.BitFaster = Math.Min(best.BitFaster, Time(threads, t => { foreach (var i in orders[t]) { bitFaster.TryGet(keys.Bytes[i], out _); } }));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{threads,7} {best.Lru,9:F1} {best.BitFaster,14:F1} {best.BitFaster / best.Lru,35:F2}x"));
        }
    }

    private static double Time(int threads, Action<int> work)
    {
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, work);
        return clock.Elapsed.TotalNanoseconds / Operations;
    }
}
