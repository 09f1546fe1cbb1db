using RedisProxy.SystemTests.Infrastructure;
using RedisProxy.SystemTests.Resp;

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

    [Fact]
    public async Task Commands_are_forwarded_to_garnet_and_its_writes_drop_what_is_cached()
    {
        var key = ProxyApp.UniqueKey();
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        Assert.Equal("+OK\r\n", await raw.CallAsync(RawResp.Frame("SET", key, "1")));
        Assert.Equal(RawResp.Bulk("1"), await raw.CallAsync(RawResp.Frame("GET", key)));
        Assert.Equal(":2\r\n", await raw.CallAsync(RawResp.Frame("INCR", key)));
        Assert.Equal(RawResp.Bulk("2"), await raw.CallAsync(RawResp.Frame("GET", key)));
        Assert.Equal(":1\r\n", await raw.CallAsync(RawResp.Frame("HSET", key + ":h", "f", "v")));
        Assert.Equal("*2\r\n$1\r\nf\r\n$1\r\nv\r\n", await raw.CallAsync(RawResp.Frame("HGETALL", key + ":h")));
    }
}
