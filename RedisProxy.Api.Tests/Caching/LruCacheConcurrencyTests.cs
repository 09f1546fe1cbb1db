using System.Text;
using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Tests.Caching;

/// <summary>
/// Hits take no lock, so several threads hammer one small cache with lookups, writes and removals (a bounded
/// number of operations each), then the cache is checked for integrity and, once quiet, for exact LRU order.
/// </summary>
public sealed class LruCacheConcurrencyTests
{
    private const int Capacity = 16;
    private const int KeySpace = 40;
    private const int OperationsPerThread = 100_000;

    [Fact]
    public async Task Concurrent_hits_writes_and_removals_leave_a_consistent_cache()
    {
        var cache = new LruCache(Capacity, TimeSpan.FromHours(1), TimeProvider.System);
        var threads = Math.Max(4, Environment.ProcessorCount);
        using var start = new Barrier(threads);
        var lookups = new long[threads];
        var wrongValues = new long[threads];

        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            start.SignalAndWait();
            for (var n = 0; n < OperationsPerThread; n++)
            {
                var key = Encoding.ASCII.GetBytes($"k{random.Next(KeySpace)}");
                switch (random.Next(10))
                {
                    case < 7:
                        lookups[t]++;
                        // Every value starts with its own key, so a torn or misplaced entry shows.
                        if (cache.TryGet(key, out var value) && !value.Span.StartsWith(key))
                        {
                            wrongValues[t]++;
                        }

                        break;
                    case < 9:
                        cache.Set(cache.CreateEntry(key, [.. key, .. Encoding.ASCII.GetBytes($"={t}:{n}")]));
                        break;
                    default:
                        cache.Remove(key);
                        break;
                }
            }
        })));

        Assert.Equal(0, wrongValues.Sum());
        var statistics = cache.Statistics;
        Assert.Equal(lookups.Sum(), statistics.Hits + statistics.Misses);

        var keys = cache.Snapshot().KeysLeastRecentFirst.Select(k => Encoding.ASCII.GetString(k)).ToList();
        Assert.Equal(keys.Count, cache.Count);
        Assert.InRange(keys.Count, 1, Capacity);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        foreach (var key in keys)
        {
            Assert.True(cache.TryGet(Encoding.ASCII.GetBytes(key), out _), key);
        }

        // Quiet again, the order is exact: the keys just read are the newest, in the order read; a new key evicts the oldest.
        Assert.Equal(keys, cache.Snapshot().KeysLeastRecentFirst.Select(k => Encoding.ASCII.GetString(k)));
        var newKeys = Enumerable.Range(0, Capacity).Select(i => $"new{i}").ToList();
        foreach (var key in newKeys)
        {
            cache.Set(cache.CreateEntry(Encoding.ASCII.GetBytes(key), "v"u8));
        }

        Assert.Equal(newKeys, cache.Snapshot().KeysLeastRecentFirst.Select(k => Encoding.ASCII.GetString(k)));
    }

    [Fact]
    public async Task A_key_being_overwritten_is_always_found_by_concurrent_readers()
    {
        const int Keys = 4;
        const int Overwrites = 200_000;
        var cache = new LruCache(Capacity, TimeSpan.FromHours(1), TimeProvider.System);
        var keys = Enumerable.Range(0, Keys).Select(i => Encoding.ASCII.GetBytes($"k{i}")).ToArray();
        foreach (var key in keys)
        {
            cache.Set(cache.CreateEntry(key, [.. key, .. "=0"u8]));
        }

        var readers = Math.Max(1, Environment.ProcessorCount - 1);
        using var start = new Barrier(readers + 1);
        var writing = 1;
        var misses = new long[readers];
        var wrongValues = new long[readers];
        var reads = new long[readers];

        var writer = Task.Run(() =>
        {
            start.SignalAndWait();
            for (var n = 1; n <= Overwrites; n++)
            {
                var key = keys[n % Keys];
                cache.Set(cache.CreateEntry(key, [.. key, .. Encoding.ASCII.GetBytes($"={n}")]));
            }

            Volatile.Write(ref writing, 0);
        });
        var readerTasks = Enumerable.Range(0, readers).Select(r => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var n = 0; Volatile.Read(ref writing) == 1; n++)
            {
                var key = keys[n % Keys];
                reads[r]++;
                if (!cache.TryGet(key, out var value))
                {
                    misses[r]++;
                }
                else if (!value.Span.StartsWith([.. key, .. "="u8]))
                {
                    wrongValues[r]++;
                }
            }
        }));
        await Task.WhenAll([writer, .. readerTasks]);

        // An overwrite puts the new entry where the old one was: a reader finds one or the other, never neither.
        Assert.True(reads.Sum() > 0);
        Assert.Equal(0, misses.Sum());
        Assert.Equal(0, wrongValues.Sum());
        Assert.Equal(Keys, cache.Count);
        Assert.Equal(reads.Sum(), cache.Statistics.Hits);
    }
}
