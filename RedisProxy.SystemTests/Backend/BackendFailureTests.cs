using System.Diagnostics;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Backend;

/// <summary>The backend goes away under a running proxy and comes back: cached keys keep being served,
/// uncached ones fail fast with 503/504 (never a hang, never a 404), and the proxy recovers by itself, forgetting what
/// it cached from the server it lost (which came back empty).</summary>
public sealed class BackendFailureTests(ExternalRedisProxyApp proxy) : IClassFixture<ExternalRedisProxyApp>
{
    [Fact]
    public async Task Stopping_the_backend_fails_uncached_reads_fast_serves_cached_ones_and_recovers()
    {
        var cached = ProxyApp.UniqueKey("cached");
        var uncached = ProxyApp.UniqueKey("uncached");
        await proxy.Backend.StringSetAsync(cached, "still here");
        await proxy.Backend.StringSetAsync(uncached, "back again");
        Assert.Equal("redis", (await proxy.GetJsonAsync($"/{cached}")).Body.GetProperty("source").GetString());

        await proxy.Server.StopAsync();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var clock = Stopwatch.StartNew();
            var (status, body) = await proxy.GetJsonAsync($"/{uncached}");
            Assert.True(status is 503 or 504, $"expected 503 or 504, got {status}");
            Assert.Equal(status, body.GetProperty("status_code").GetInt32());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed}");

            var hit = await proxy.GetJsonAsync($"/{cached}");
            Assert.Equal("still here", hit.Body.GetProperty("value").GetString());
            Assert.Equal("local", hit.Body.GetProperty("source").GetString());
        }

        await proxy.Server.StartAsync();
        await proxy.Backend.StringSetAsync(uncached, "back again");

        var recovered = await Eventually.MatchesAsync(
            () => proxy.GetJsonAsync($"/{uncached}"),
            read => read.Status == 200,
            TimeSpan.FromSeconds(30),
            "the proxy to reach the restarted backend");
        Assert.Equal("back again", recovered.Body.GetProperty("value").GetString());
        Assert.Equal(404, (await proxy.GetJsonAsync($"/{cached}")).Status);
    }
}

/// <summary>The AppHost in external mode, over a redis-server this fixture owns and can stop.</summary>
public sealed class ExternalRedisProxyApp : ProxyApp
{
    public RedisServerProcess Server { get; } = new();

    protected override string RedisMode => "external";

    protected override IEnumerable<string> AppHostArguments => [$"--ConnectionStrings:redis={Server.ConnectionString}"];

    protected override Task StartDependenciesAsync() => Server.StartAsync();

    protected override Task StopDependenciesAsync() => Server.StopAsync();
}
