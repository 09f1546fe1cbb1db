using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Tests.Caching;

/// <summary>
/// Hits are recorded in a log of fixed size and applied to the recency order later; these tests run far more hits
/// than the log holds between two writes and check that the order is still exactly the order of the hits.
/// </summary>
public sealed class LruCacheHitLogTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(3, 5_000)]
    [InlineData(50, 20_000)]
    public void After_many_hits_the_least_recently_hit_key_is_evicted(int capacity, int hits)
    {
        var cache = new LruCache(capacity, TimeSpan.FromHours(1), _time);
        var keys = Enumerable.Range(0, capacity).Select(i => $"k{i}").ToArray();
        foreach (var key in keys)
        {
            LruCacheTests.Set(cache, key, key);
        }

        var random = new Random(capacity);
        var lastHit = new Dictionary<string, int>();
        for (var n = 0; n < hits; n++)
        {
            var key = keys[random.Next(capacity)];
            Assert.Equal(key, LruCacheTests.Get(cache, key));
            lastHit[key] = n;
        }

        var expected = keys.OrderBy(k => lastHit.GetValueOrDefault(k, -1)).ToArray();
        LruCacheTests.Set(cache, "new", "v");

        Assert.Null(LruCacheTests.Get(cache, expected[0]));
        Assert.Equal([.. expected.Skip(1), "new"], LruCacheTests.Keys(cache));
        Assert.Equal(hits, cache.Statistics.Hits);
    }

    [Theory]
    [InlineData("a delete")]
    [InlineData("an overwrite")]
    [InlineData("its expiry")]
    public void A_hit_still_waiting_in_the_log_moves_nothing_once_its_entry_has_left(string leftBy)
    {
        var cache = new LruCache(3, TimeSpan.FromHours(1), _time);
        LruCacheTests.Set(cache, "a", "1");
        _time.Advance(TimeSpan.FromMinutes(30));
        LruCacheTests.Set(cache, "b", "2");
        LruCacheTests.Set(cache, "c", "3");
        LruCacheTests.Get(cache, "a");

        // "b" leaves first, so the slot "a" leaves next is not the last free one: a record moving it would link a
        // free slot into the order.
        cache.Remove("b"u8);
        switch (leftBy)
        {
            case "a delete":
                cache.Remove("a"u8);
                break;
            case "an overwrite":
                // The new entry takes the old one's slot under a new generation, then leaves too.
                LruCacheTests.Set(cache, "a", "new");
                cache.Remove("a"u8);
                break;
            default:
                _time.Advance(TimeSpan.FromMinutes(30));
                Assert.Null(LruCacheTests.Get(cache, "a"));
                break;
        }

        LruCacheTests.Set(cache, "d", "4");
        LruCacheTests.Set(cache, "e", "5");

        var expected = new[] { "c", "d", "e" };
        Assert.Equal(expected, LruCacheTests.Keys(cache));
    }
}
