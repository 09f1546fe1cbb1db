using System.Diagnostics;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Caching;

/// <summary>Global expiry on a proxy with CACHE_EXPIRY=1: an entry older than that counts as absent.</summary>
public sealed class ExpiryTests(ShortExpiryProxyApp proxy) : IClassFixture<ShortExpiryProxyApp>
{
    [Fact]
    public async Task An_entry_is_served_locally_until_it_expires_then_read_through_again()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "first");
        var cachedAt = Stopwatch.StartNew();
        Assert.Equal("redis", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("source").GetString());
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("source").GetString());
        await proxy.Backend.StringSetAsync(key, "second");

        var afterExpiry = await Eventually.MatchesAsync(
            () => proxy.GetJsonAsync($"/{key}"),
            read => read.Body.GetProperty("source").GetString() == "redis",
            TimeSpan.FromSeconds(10),
            "the cached entry to expire");

        Assert.True(cachedAt.Elapsed >= TimeSpan.FromSeconds(0.9), $"expired after only {cachedAt.Elapsed}");
        Assert.Equal("second", afterExpiry.Body.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Expired_entries_are_not_listed_by_the_cache_route()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.PutAsync($"/{key}", "v");
        Assert.Contains(key, (await proxy.Http.GetStringAsync("/cache")), StringComparison.Ordinal);

        await Eventually.MatchesAsync(
            () => proxy.Http.GetStringAsync("/cache"),
            body => !body.Contains(key, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the expired key to leave the listing");
    }
}
