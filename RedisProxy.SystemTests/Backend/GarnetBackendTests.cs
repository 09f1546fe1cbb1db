using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Backend;

/// <summary>A smoke test of the default backend for machines without redis-server or a container engine.</summary>
public sealed class GarnetBackendTests(GarnetProxyApp proxy) : IClassFixture<GarnetProxyApp>
{
    [Fact]
    public async Task The_proxy_reads_through_writes_through_and_caches_over_garnet()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "from garnet");
        Assert.Equal("""{"value":"from garnet","source":"redis","status_code":200}""", await proxy.Http.GetStringAsync($"/{key}"));
        Assert.Equal("""{"value":"from garnet","source":"local","status_code":200}""", await proxy.Http.GetStringAsync($"/{key}"));

        var written = ProxyApp.UniqueKey();
        Assert.Equal(200, (await proxy.PutAsync($"/{written}", "put")).Status);
        Assert.Equal("put", (string?)await proxy.Backend.StringGetAsync(written));
        Assert.Equal(404, (await proxy.GetJsonAsync($"/{ProxyApp.UniqueKey()}")).Status);
    }
}
