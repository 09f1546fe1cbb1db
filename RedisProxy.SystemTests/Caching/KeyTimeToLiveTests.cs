using RedisProxy.SystemTests.Clients;
using RedisProxy.SystemTests.Operations;
using RedisProxy.SystemTests.Resp;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Caching;

/// <summary>
/// A cached value never outlives its key in Redis: a key's own time to live, set on Redis directly or through the
/// proxy, ends it on both doors as it ends in Redis, and EXPIRE and PERSIST through the proxy change what is cached.
/// </summary>
public sealed class KeyTimeToLiveTests(ClientsProxy proxy) : IClassFixture<ClientsProxy>, IAsyncLifetime
{
    private ConnectionMultiplexer? _redis;
    private ProxyClient? _http;

    private IDatabase Redis => _redis!.GetDatabase();

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(proxy.Redis.ConnectionString);
        _http = ProxyClient.For(proxy.Api);
    }

    public Task DisposeAsync()
    {
        _redis?.Dispose();
        _http?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_key_set_with_a_short_ttl_on_redis_and_cached_is_absent_on_both_doors_once_redis_expires_it()
    {
        var key = Key();
        await Redis.StringSetAsync(key, "alice", TimeSpan.FromMilliseconds(1500));
        await using var resp = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        Assert.Equal(RawResp.Bulk("alice"), await resp.CallAsync(RawResp.Frame("GET", key)));
        Assert.Equal((200, "alice", "local"), await _http!.GetAsync(key));

        await ExpiredInRedisAsync(key);

        Assert.Equal("$-1\r\n", await resp.CallAsync(RawResp.Frame("GET", key)));
        Assert.Equal((404, null, "redis"), await _http.GetAsync(key));
    }

    [Fact]
    public async Task Set_with_px_through_the_proxy_is_cached_no_longer_than_the_key_lives()
    {
        var key = Key();
        await using var resp = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        Assert.Equal("+OK\r\n", await resp.CallAsync(RawResp.Frame("SET", key, "token", "PX", "1500")));
        Assert.Equal((200, "token", "local"), await _http!.GetAsync(key));

        await ExpiredInRedisAsync(key);

        Assert.Equal("$-1\r\n", await resp.CallAsync(RawResp.Frame("GET", key)));
    }

    [Fact]
    public async Task Expire_through_the_proxy_shortens_what_is_cached()
    {
        var key = Key();
        await Redis.StringSetAsync(key, "v");
        await using var resp = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        Assert.Equal((200, "v", "redis"), await _http!.GetAsync(key));

        Assert.Equal(":1\r\n", await resp.CallAsync(RawResp.Frame("PEXPIRE", key, "1500")));
        Assert.Equal(RawResp.Bulk("v"), await resp.CallAsync(RawResp.Frame("GET", key)));

        await ExpiredInRedisAsync(key);

        Assert.Equal("$-1\r\n", await resp.CallAsync(RawResp.Frame("GET", key)));
        Assert.Equal(404, (await _http.GetAsync(key)).Status);
    }

    [Fact]
    public async Task Persist_through_the_proxy_keeps_the_value_past_its_old_ttl()
    {
        var key = Key();
        await using var resp = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        Assert.Equal("+OK\r\n", await resp.CallAsync(RawResp.Frame("SET", key, "kept", "PX", "1000")));

        Assert.Equal(":1\r\n", await resp.CallAsync(RawResp.Frame("PERSIST", key)));
        // No condition marks the old time to live passing; it is waited out once, bounded.
        await Task.Delay(TimeSpan.FromMilliseconds(1200));

        Assert.Equal(RawResp.Bulk("kept"), await resp.CallAsync(RawResp.Frame("GET", key)));
        Assert.Equal((200, "kept", "local"), await _http!.GetAsync(key));
    }

    [Fact]
    public async Task Http_max_age_is_never_longer_than_the_key_lives_in_redis()
    {
        var key = Key();
        await Redis.StringSetAsync(key, "v", TimeSpan.FromSeconds(100));

        using var response = await _http!.Http.GetAsync($"/{key}");

        Assert.InRange(response.Headers.CacheControl?.MaxAge ?? TimeSpan.MaxValue, TimeSpan.FromSeconds(98), TimeSpan.FromSeconds(100));
    }

    private Task<bool> ExpiredInRedisAsync(string key) =>
        Eventually.MatchesAsync(() => Redis.KeyExistsAsync(key), exists => !exists, TimeSpan.FromSeconds(10), $"Redis to expire {key}");

    private static string Key() => $"ttl-{Guid.NewGuid():N}";
}
