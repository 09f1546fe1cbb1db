using System.Globalization;
using System.Net;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Operations;

/// <summary>GET /status on the management port: what an operator needs, never a value or a secret.</summary>
public sealed class StatusEndpointTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Status_reports_backend_cache_counters_uptime_and_invalidation_but_no_keys_or_values()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var backend = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await backend.GetDatabase().StringSetAsync("status-probe-key", "status-probe-value");
        await using var api = ApiProcess.Start(new Dictionary<string, string>
        {
            ["REDIS_SERVER_IP"] = "127.0.0.1",
            ["REDIS_SERVER_PORT"] = redis.Port.ToString(CultureInfo.InvariantCulture),
            ["CACHE_CAPACITY"] = "7",
        });
        await api.WaitUntilServingAsync(StartTimeout);
        using var proxy = ProxyClient.For(api);

        Assert.Equal((200, "redis"), Pick(await proxy.GetAsync("status-probe-key")));
        Assert.Equal((200, "local"), Pick(await proxy.GetAsync("status-probe-key")));
        Assert.Equal(404, (await proxy.GetAsync("status-probe-absent")).Status);

        using var response = await proxy.Management.GetAsync("/status");
        var text = await response.Content.ReadAsStringAsync();
        var status = await proxy.StatusAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith($":{api.ProcessId}", status.GetProperty("instance").GetString(), StringComparison.Ordinal);
        Assert.InRange(status.GetProperty("uptime_seconds").GetDouble(), 0.001, 600);
        var backendStatus = status.GetProperty("backend");
        Assert.True(backendStatus.GetProperty("connected").GetBoolean());
        var endpoint = Assert.Single(backendStatus.GetProperty("endpoints").EnumerateArray());
        Assert.Equal($"127.0.0.1:{redis.Port}", endpoint.GetProperty("endpoint").GetString());
        Assert.True(endpoint.GetProperty("connected").GetBoolean());
        Assert.Equal(0, backendStatus.GetProperty("in_flight").GetInt64());
        Assert.Equal(0, backendStatus.GetProperty("queued").GetInt64());
        Assert.Equal(0, backendStatus.GetProperty("rejected").GetInt64());
        var pinned = backendStatus.GetProperty("pinned");
        Assert.Equal((0, 64, 0L, 0L), (pinned.GetProperty("in_use").GetInt32(), pinned.GetProperty("limit").GetInt32(), pinned.GetProperty("opened").GetInt64(), pinned.GetProperty("refused").GetInt64()));
        var cache = status.GetProperty("cache");
        Assert.Equal(1, cache.GetProperty("entries").GetInt32());
        Assert.Equal(7, cache.GetProperty("capacity").GetInt32());
        Assert.Equal(1, cache.GetProperty("hits").GetInt64());
        Assert.Equal(2, cache.GetProperty("misses").GetInt64());
        Assert.Equal(0.3333, cache.GetProperty("hit_ratio").GetDouble(), 4);
        Assert.Equal(0, cache.GetProperty("evictions").GetInt64());
        Assert.Equal(0, cache.GetProperty("expirations").GetInt64());
        Assert.Equal("off", status.GetProperty("invalidation").GetProperty("mode").GetString());
        Assert.False(status.GetProperty("invalidation").GetProperty("active").GetBoolean());
        Assert.DoesNotContain("status-probe", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_the_key_port_status_is_an_ordinary_key()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var backend = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await using var api = ApiProcess.Start(new Dictionary<string, string>
        {
            ["REDIS_SERVER_IP"] = "127.0.0.1",
            ["REDIS_SERVER_PORT"] = redis.Port.ToString(CultureInfo.InvariantCulture),
        });
        await api.WaitUntilServingAsync(StartTimeout);
        using var proxy = ProxyClient.For(api);

        Assert.Equal((404, null), PickValue(await proxy.GetAsync("status")));
        await backend.GetDatabase().StringSetAsync("status", "a key named status");
        Assert.Equal((200, "a key named status"), PickValue(await proxy.GetAsync("status")));
    }

    private static (int, string?) Pick((int Status, string? Value, string? Source) read) => (read.Status, read.Source);

    private static (int, string?) PickValue((int Status, string? Value, string? Source) read) => (read.Status, read.Value);
}
