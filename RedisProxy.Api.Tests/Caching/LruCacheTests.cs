using System.Text;
using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Tests.Caching;

public sealed class LruCacheTests
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_hit_returns_the_value_and_a_miss_returns_nothing()
    {
        var cache = new LruCache(3, Expiry, _time);
        Set(cache, "a", "1");

        Assert.Equal("1", Get(cache, "a"));
        Assert.Null(Get(cache, "b"));
        Assert.Equal(new CacheStatistics(1, 1, 0, 0), cache.Statistics);
    }

    [Fact]
    public void Inserting_into_a_full_cache_evicts_the_least_recently_used()
    {
        var cache = new LruCache(3, Expiry, _time);
        Set(cache, "a", "1");
        Set(cache, "b", "2");
        Set(cache, "c", "3");
        Get(cache, "a");

        Set(cache, "d", "4");

        Assert.Null(Get(cache, "b"));
        Assert.Equal(["c", "a", "d"], Keys(cache));
        Assert.Equal(1, cache.Statistics.Evictions);
    }

    [Fact]
    public void A_cache_that_outgrows_its_first_slot_arrays_keeps_the_exact_order()
    {
        // The recency list starts with room for 1,024 entries and grows as it fills: past it, and past it again.
        const int capacity = 2500;
        var cache = new LruCache(capacity, Expiry, _time);
        var keys = Enumerable.Range(0, capacity).Select(i => $"k{i}").ToList();
        foreach (var key in keys)
        {
            Set(cache, key, key);
        }

        // Hits on every third key, oldest first, make those the newest, in that order.
        var hit = keys.Where((_, i) => i % 3 == 0).ToList();
        foreach (var key in hit)
        {
            Assert.Equal(key, Get(cache, key));
        }

        Set(cache, "new", "v");

        var expected = keys.Where((_, i) => i % 3 != 0).Skip(1).Concat(hit).Append("new");
        Assert.Equal(expected, Keys(cache));
        Assert.Null(Get(cache, "k1"));
        Assert.Equal(capacity, cache.Count);
    }

    [Fact]
    public void Setting_an_existing_key_replaces_it_and_makes_it_most_recent_without_evicting()
    {
        var cache = new LruCache(2, Expiry, _time);
        Set(cache, "a", "1");
        Set(cache, "b", "2");

        Set(cache, "a", "changed");

        Assert.Equal(["b", "a"], Keys(cache));
        Assert.Equal("changed", Get(cache, "a"));
        Assert.Equal(0, cache.Statistics.Evictions);
    }

    [Fact]
    public void A_byte_budget_evicts_least_recently_used_entries_until_the_new_one_fits()
    {
        var cache = new LruCache(100, Expiry, _time, maxBytes: 10); // each entry below is 1 key byte + 3 value bytes
        Set(cache, "a", "111");
        Set(cache, "b", "222");
        Get(cache, "a");

        Set(cache, "c", "333"); // 12 bytes > 10: b, the least recently used, goes

        Assert.Equal(["a", "c"], Keys(cache));
        Assert.Equal(8, cache.Bytes);
        Assert.Equal(1, cache.Statistics.Evictions);
    }

    [Fact]
    public void An_entry_larger_than_the_byte_budget_is_not_cached_and_drops_the_old_value()
    {
        var cache = new LruCache(100, Expiry, _time, maxBytes: 10);
        Set(cache, "a", "1");
        Set(cache, "b", "2");

        Set(cache, "a", "far too large");

        Assert.Null(Get(cache, "a"));
        Assert.Equal(["b"], Keys(cache));
        Assert.Equal(2, cache.Bytes);
    }

    [Fact]
    public void A_value_over_the_value_limit_is_not_cached_and_drops_the_old_value()
    {
        var cache = new LruCache(100, Expiry, _time, maxValueBytes: 3);
        Set(cache, "a", "123");
        Assert.Equal("123", Get(cache, "a"));

        Set(cache, "a", "1234");

        Assert.Null(Get(cache, "a"));
        Assert.Empty(Keys(cache));
    }

    [Fact]
    public void An_entry_expires_exactly_one_expiry_after_it_was_cached()
    {
        var cache = new LruCache(3, Expiry, _time);
        Set(cache, "a", "1");

        _time.Advance(Expiry - TimeSpan.FromTicks(1));
        Assert.Equal("1", Get(cache, "a"));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Null(Get(cache, "a"));
        Assert.Equal(0, cache.Count);
        Assert.Equal(1, cache.Statistics.Expirations);
    }

    [Fact]
    public void A_hit_does_not_extend_the_expiry()
    {
        var cache = new LruCache(3, Expiry, _time);
        Set(cache, "a", "1");
        _time.Advance(Expiry / 2);
        Get(cache, "a");
        _time.Advance(Expiry / 2);

        Assert.Null(Get(cache, "a"));
    }

    [Fact]
    public void The_snapshot_drops_expired_entries()
    {
        var cache = new LruCache(3, Expiry, _time);
        Set(cache, "old", "1");
        _time.Advance(Expiry / 2);
        Set(cache, "new", "2");
        _time.Advance(Expiry / 2);

        Assert.Equal(["new"], Keys(cache));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Clear_and_remove_empty_the_cache()
    {
        var cache = new LruCache(3, Expiry, _time);
        Set(cache, "a", "1");
        Set(cache, "b", "2");

        Assert.True(cache.Remove("a"u8));
        Assert.False(cache.Remove("a"u8));
        Assert.Equal(["b"], Keys(cache));
        cache.Clear();
        Assert.Empty(Keys(cache));
        Set(cache, "c", "3");
        Assert.Equal(["c"], Keys(cache));
    }

    [Fact]
    public void Keys_are_compared_as_bytes()
    {
        var cache = new LruCache(3, Expiry, _time);
        cache.Set(cache.CreateEntry([0xff, 0x00], "binary"u8));
        cache.Set(cache.CreateEntry([], "empty key"u8));

        Assert.True(cache.TryGet([0xff, 0x00], out var binary));
        Assert.Equal("binary", Encoding.UTF8.GetString(binary.Span));
        Assert.True(cache.TryGet([], out var empty));
        Assert.Equal("empty key", Encoding.UTF8.GetString(empty.Span));
        Assert.False(cache.TryGet([0xff], out _));
    }

    [Fact]
    public void A_hit_allocates_nothing()
    {
        var cache = new LruCache(3, Expiry, _time);
        Set(cache, "a", "1");
        var key = "a"u8.ToArray();
        cache.TryGet(key, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            cache.TryGet(key, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static void Set(LruCache cache, string key, string value) =>
        cache.Set(cache.CreateEntry(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value)));

    internal static string? Get(LruCache cache, string key) =>
        cache.TryGet(Encoding.UTF8.GetBytes(key), out var value) ? Encoding.UTF8.GetString(value.Span) : null;

    internal static string[] Keys(LruCache cache) =>
        [.. cache.Snapshot().KeysLeastRecentFirst.Select(k => Encoding.UTF8.GetString(k))];
}
