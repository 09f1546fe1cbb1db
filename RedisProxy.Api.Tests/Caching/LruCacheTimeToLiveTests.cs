using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Tests.Caching;

/// <summary>The lookup that also tells how long an entry has left, for HTTP Cache-Control: max-age.</summary>
public sealed class LruCacheTimeToLiveTests
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_hit_reports_the_lifetime_left_which_shrinks_as_time_passes()
    {
        var cache = new LruCache(3, Expiry, _time);
        cache.Set(cache.CreateEntry("k"u8, "v"u8));

        Assert.True(cache.TryGet("k"u8, 0, out var value, out var fresh));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.True(cache.TryGet("k"u8, 0, out _, out var older));

        Assert.Equal("v"u8.ToArray(), value.ToArray());
        Assert.Equal(Expiry, fresh);
        Assert.Equal(TimeSpan.FromSeconds(6), older);
    }

    [Fact]
    public void An_expired_entry_is_a_miss_with_no_lifetime()
    {
        var cache = new LruCache(3, Expiry, _time);
        cache.Set(cache.CreateEntry("k"u8, "v"u8));
        _time.Advance(Expiry);

        Assert.False(cache.TryGet("k"u8, 0, out _, out var timeToLive));
        Assert.Equal(TimeSpan.Zero, timeToLive);
        Assert.Equal(new CacheStatistics(0, 1, 0, 1), cache.Statistics);
    }

    [Fact]
    public void Expiry_is_the_configured_lifetime() => Assert.Equal(Expiry, new LruCache(1, Expiry, _time).Expiry);
}
