using System.Text;
using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Tests.Caching;

/// <summary>
/// Reads and writes in flight against a naive log of every change: one is kept out of the cache exactly when a change
/// of its own key, or a clear, went through since it started, or when more changes went by than the cache remembers.
/// </summary>
public sealed class LruCacheOvertakingTests
{
    private const int Remembered = 64;

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void A_read_or_write_in_flight_is_cached_unless_its_own_key_changed_meanwhile(int keySpace)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var cache = new LruCache(1000, TimeSpan.FromHours(1), new FakeTimeProvider());
            var changes = new List<string?>(); // the key of every change since the start; null for a clear
            for (var step = 0; step < 2000; step++)
            {
                var startedAt = cache.WriteVersion;
                var changesAtStart = changes.Count;
                for (var n = random.Next(0, random.Next(2) == 0 ? 4 : 80); n > 0; n--)
                {
                    var other = Key(random, keySpace);
                    switch (random.Next(20))
                    {
                        case 0:
                            cache.Clear();
                            changes.Add(null);
                            break;
                        case < 10:
                            cache.Remove(Encoding.ASCII.GetBytes(other));
                            changes.Add(other);
                            break;
                        default:
                            LruCacheTests.Set(cache, other, "v");
                            changes.Add(other);
                            break;
                    }
                }

                var key = Key(random, keySpace);
                var since = changes.Skip(changesAtStart).ToList();
                var overtaken = since.Count > Remembered || since.Any(change => change is null || change == key);
                var entry = cache.CreateEntry(Encoding.ASCII.GetBytes(key), "in flight"u8);
                var isWrite = random.Next(2) == 0;
                var cached = isWrite ? cache.SetUnlessOvertaken(entry, startedAt) : cache.TryAdd(entry, startedAt);

                var context = $"seed {seed}, step {step}: {(isWrite ? "write" : "read")} of {key} after {since.Count} changes";
                Assert.True(cached == !overtaken, context);
                if (cached || isWrite)
                {
                    // An overtaken write drops the key; an overtaken read leaves whatever the cache holds.
                    Assert.True(LruCacheTests.Get(cache, key) == (cached ? "in flight" : null), context);
                }

                if (isWrite)
                {
                    changes.Add(key);
                }
            }
        }
    }

    private static string Key(Random random, int keySpace) => $"k{random.Next(keySpace)}";
}
