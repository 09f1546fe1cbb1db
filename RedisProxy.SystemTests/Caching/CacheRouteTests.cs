using System.Text.Json;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Caching;

/// <summary>GET /cache and DELETE /cache, and exact LRU eviction, on a proxy whose cache holds three entries.</summary>
public sealed class CacheRouteTests(SmallCacheProxyApp proxy) : IClassFixture<SmallCacheProxyApp>, IAsyncLifetime
{
    public async Task InitializeAsync() => await proxy.Http.DeleteAsync("/cache");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Cache_route_reports_occupancy_capacity_and_keys_least_recent_first()
    {
        var keys = await SeedAsync("a", "b");
        await ReadAsync(keys[0]);
        await ReadAsync(keys[1]);
        await ReadAsync(keys[0]);

        var (status, body) = await proxy.GetJsonAsync("/cache");

        Assert.Equal(200, status);
        Assert.Equal(2, body.GetProperty("occupancy").GetInt32());
        Assert.Equal(3, body.GetProperty("capacity").GetInt32());
        Assert.Equal(200, body.GetProperty("status_code").GetInt32());
        Assert.Equal([keys[1], keys[0]], Keys(body));
    }

    [Fact]
    public async Task A_full_cache_evicts_the_least_recently_used_entry()
    {
        var keys = await SeedAsync("a", "b", "c", "d");
        await ReadAsync(keys[0]);
        await ReadAsync(keys[1]);
        await ReadAsync(keys[2]);
        Assert.Equal("local", await ReadAsync(keys[0])); // a is now the most recently used

        await ReadAsync(keys[3]); // evicts b, the least recently used

        var (_, body) = await proxy.GetJsonAsync("/cache");
        Assert.Equal([keys[2], keys[0], keys[3]], Keys(body));
        Assert.Equal("redis", await ReadAsync(keys[1]));
        Assert.Equal("local", await ReadAsync(keys[3]));
    }

    [Fact]
    public async Task Delete_cache_empties_the_local_cache_but_not_Redis()
    {
        var keys = await SeedAsync("a", "b");
        await ReadAsync(keys[0]);
        await ReadAsync(keys[1]);

        using var response = await proxy.Http.DeleteAsync("/cache");
        Assert.Equal("""{"cache_cleared":true,"status_code":200}""", await response.Content.ReadAsStringAsync());

        var (_, body) = await proxy.GetJsonAsync("/cache");
        Assert.Equal(0, body.GetProperty("occupancy").GetInt32());
        Assert.Empty(Keys(body));
        Assert.Equal("redis", await ReadAsync(keys[0]));
    }

    [Fact]
    public async Task Ping_answers_ok()
    {
        Assert.Equal("""{"ping":"OK","status_code":200}""", await proxy.Http.GetStringAsync("/ping"));
    }

    private async Task<string[]> SeedAsync(params string[] names)
    {
        var keys = names.Select(ProxyApp.UniqueKey).ToArray();
        foreach (var key in keys)
        {
            await proxy.Backend.StringSetAsync(key, $"value of {key}");
        }

        return keys;
    }

    private async Task<string?> ReadAsync(string key)
    {
        var (status, body) = await proxy.GetJsonAsync($"/{key}");
        Assert.Equal(200, status);
        Assert.Equal($"value of {key}", body.GetProperty("value").GetString());
        return body.GetProperty("source").GetString();
    }

    private static string[] Keys(JsonElement body) =>
        [.. body.GetProperty("keys").EnumerateArray().Select(k => k.GetString() ?? "")];
}
