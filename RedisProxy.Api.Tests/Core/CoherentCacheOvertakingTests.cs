using System.Text;
using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Core;

namespace RedisProxy.Api.Tests.Core;

/// <summary>
/// Reads and writes in flight against a naive log of every change: one is kept out of the cache exactly when a change
/// of its own key, or a clear, went through since it started, or when more changes went by than the fence remembers.
/// </summary>
public sealed class CoherentCacheOvertakingTests
{
    private const int Remembered = KeyFence.RememberedChanges;

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void A_read_or_write_in_flight_is_cached_unless_its_own_key_changed_meanwhile(int keySpace)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var cache = new CoherentCache(new LruCache(1000, TimeSpan.FromHours(1), new FakeTimeProvider()));
            var changes = new List<string?>(); // the key of every change since the start; null for a clear
            for (var step = 0; step < 2000; step++)
            {
                var startedAt = cache.Version;
                var changesAtStart = changes.Count;
                for (var n = random.Next(0, random.Next(2) == 0 ? 4 : 80); n > 0; n--)
                {
                    var other = Key(random, keySpace);
                    switch (random.Next(20))
                    {
                        case 0:
                            cache.InvalidateAll();
                            changes.Add(null);
                            break;
                        case < 10:
                            cache.Invalidate(Encoding.ASCII.GetBytes(other));
                            changes.Add(other);
                            break;
                        default:
                            cache.AdmitWrite(cache.CreateEntry(Encoding.ASCII.GetBytes(other), 0, "v"u8), cache.Version);
                            changes.Add(other);
                            break;
                    }
                }

                var key = Key(random, keySpace);
                var since = changes.Skip(changesAtStart).ToList();
                var overtaken = since.Count > Remembered || since.Any(change => change is null || change == key);
                var entry = cache.CreateEntry(Encoding.ASCII.GetBytes(key), 0, "in flight"u8);
                var isWrite = random.Next(2) == 0;
                var cachedBefore = cache.TryGet(Encoding.ASCII.GetBytes(key), 0, out var before) ? before.ToArray() : null;
                var cached = isWrite ? cache.AdmitWrite(entry, startedAt) : AdmitRead(cache, entry, startedAt);

                var context = $"seed {seed}, step {step}: {(isWrite ? "write" : "read")} of {key} after {since.Count} changes";
                Assert.True(cached == !overtaken, context);
                // An overtaken write drops the key; an overtaken read leaves whatever the cache held.
                var now = cache.TryGet(Encoding.ASCII.GetBytes(key), 0, out var value) ? Encoding.ASCII.GetString(value.Span) : null;
                var expected = cached ? "in flight" : isWrite ? null : cachedBefore is null ? null : Encoding.ASCII.GetString(cachedBefore);
                Assert.True(now == expected, context);

                if (isWrite)
                {
                    changes.Add(key);
                }
            }
        }
    }

    /// <summary>Offers a read's entry; whether it was cached is whether the cache now holds that very entry.</summary>
    private static bool AdmitRead(CoherentCache cache, CacheEntry entry, long startedAt)
    {
        cache.AdmitRead(entry, startedAt);
        return cache.TryGet(entry.Key, 0, out var value) && value.Equals(entry.Value);
    }

    private static string Key(Random random, int keySpace) => $"k{random.Next(keySpace)}";
}
