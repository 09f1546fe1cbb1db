using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BitFaster.Caching.Lru;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Core;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>
/// A quick check of how cache hits, and the 90/10 mix of hits and overwrites, scale from one thread to two, for a
/// shared machine: the caches take turns, eleven rounds each of 2^20 operations, and the best round of each is
/// printed (other load on the machine only ever makes a round slower, so the minimum is the steadiest).
/// <para>
/// The third contender is a ceiling, not a cache: ConcurrentLru plus one increment of a counter shared by all threads
/// per operation. An exact LRU must put every hit in one order that all threads agree on; one shared counter is the
/// least any such order costs (the alternative, a precise clock read per hit, costs more on these machines), so no
/// exact LRU that orders hits this way can beat that contender's ratio to ConcurrentLru, whatever else it does.
/// </para>
/// </summary>
internal static class HitScaling
{
    private const int Rounds = 11;
    private const int Operations = 1 << 20;

    // One shared counter, held in an array so a readonly field can hand out a reference to it.
    private static readonly PaddedCounter[] Tickets = new PaddedCounter[1];

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
        Console.WriteLine($"{"Workload",-9} {"Threads",7} {"LruCache",9} {"ConcurrentLru",14} {"+ shared counter",17} {"LruCache / ConcurrentLru",25} {"ceiling (counter / ConcurrentLru)",34}");
        foreach (var mixed in new[] { false, true })
        {
            foreach (var threads in new[] { 1, 2 })
            {
                var orders = CacheWorkload.RandomOrders(threads, Operations / threads, CacheBenchmark.Capacity);
                var best = (Lru: double.MaxValue, BitFaster: double.MaxValue, Counted: double.MaxValue);
                for (var round = 0; round < Rounds; round++)
                {
                    best.Lru = Math.Min(best.Lru, Time(threads, t => RunLru(lru, keys, orders[t], mixed)));
                    best.BitFaster = Math.Min(best.BitFaster, Time(threads, t => RunBitFaster(bitFaster, keys, orders[t], mixed, ordered: false)));
                    best.Counted = Math.Min(best.Counted, Time(threads, t => RunBitFaster(bitFaster, keys, orders[t], mixed, ordered: true)));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(mixed ? "90/10" : "hits"),-9} {threads,7} {best.Lru,9:F1} {best.BitFaster,14:F1} {best.Counted,17:F1} {best.BitFaster / best.Lru,24:F2}x {best.BitFaster / best.Counted,33:F2}x"));
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

    /// <param name="ordered">Also take a ticket from the one shared counter per operation (the ceiling, see above).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBitFaster(ConcurrentLru<byte[], byte[]> cache, CacheWorkload keys, int[] order, bool mixed, bool ordered)
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

            if (ordered)
            {
                Interlocked.Increment(ref Tickets[0].Value);
            }
        }
    }

    private static double Time(int threads, Action<int> work)
    {
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, work);
        return clock.Elapsed.TotalNanoseconds / Operations;
    }

    /// <summary>The ceiling's shared counter, alone on its cache line as an exact cache's would be.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCounter
    {
        [FieldOffset(64)]
        public long Value;
    }
}
