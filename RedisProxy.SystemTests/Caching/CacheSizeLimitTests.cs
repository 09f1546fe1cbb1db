using System.Net;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Caching;

/// <summary>CACHE_MAX_VALUE_BYTES: large values are served and written intact but never cached.</summary>
public sealed class CacheSizeLimitTests
{
    [Fact]
    public async Task Values_over_the_limit_are_served_but_not_cached_and_a_large_write_drops_the_old_cached_value()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var backend = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = backend.GetDatabase();
        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string> { ["CACHE_MAX_VALUE_BYTES"] = "10" });
        await api.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = api.HttpAddress };
        var large = new string('x', 11);
        await db.StringSetAsync("small", "0123456789");
        await db.StringSetAsync("large", large);

        Assert.Equal("redis", await SourceAsync(http, "/small", "0123456789"));
        Assert.Equal("local", await SourceAsync(http, "/small", "0123456789"));
        Assert.Equal("redis", await SourceAsync(http, "/large", large));
        Assert.Equal("redis", await SourceAsync(http, "/large", large));

        using (var put = await http.PutAsync("/small", new StringContent(large)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal(large, (string?)await db.StringGetAsync("small"));
        Assert.Equal("redis", await SourceAsync(http, "/small", large));
        Assert.DoesNotContain("large", await http.GetStringAsync("/cache"), StringComparison.Ordinal);
    }

    private static async Task<string?> SourceAsync(HttpClient http, string path, string expectedValue)
    {
        using var response = await http.GetAsync(path);
        var body = await ProxyApp.ReadJsonAsync(response);
        Assert.Equal(expectedValue, body.GetProperty("value").GetString());
        return body.GetProperty("source").GetString();
    }
}
