using System.Net.Http.Json;
using System.Text.Json;
using RedisProxy.SystemTests.Operations;
using RedisProxy.SystemTests.Resp;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>The proxy over a Redis Cluster: health, commands routed by slot, multi-key commands split by slot.</summary>
public sealed class ClusterTests(ClusterProxy proxy) : IClassFixture<ClusterProxy>
{
    [Fact]
    public async Task Health_is_healthy_over_a_cluster()
    {
        using var client = ProxyClient.For(proxy.Api);
        using var response = await client.Management.GetAsync("/health");
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Multi_key_commands_over_several_slots_are_split_and_answered_in_order()
    {
        string[] keys = ["alpha", "bravo", "charlie", "delta", "echo"];
        await using var raw = await RawResp.OpenAsync(proxy.Api.RespEndpoint);

        Assert.Equal("+OK\r\n", await raw.CallAsync(RawResp.Frame(["MSET", .. keys.SelectMany(k => new[] { k, $"v-{k}" })])));
        Assert.Equal("*6\r\n" + string.Concat(keys.Select(k => RawResp.Bulk($"v-{k}"))) + "$-1\r\n", await raw.CallAsync(RawResp.Frame(["MGET", .. keys, "missing"])));
        Assert.Equal(":5\r\n", await raw.CallAsync(RawResp.Frame(["EXISTS", .. keys, "missing"])));
        Assert.Equal(":5\r\n", await raw.CallAsync(RawResp.Frame(["TOUCH", .. keys])));
        Assert.Equal(":3\r\n", await raw.CallAsync(RawResp.Frame(["DEL", "alpha", "bravo", "charlie", "missing"])));
        Assert.Equal(":2\r\n", await raw.CallAsync(RawResp.Frame(["UNLINK", "delta", "echo"])));
        Assert.Equal(":0\r\n", await raw.CallAsync(RawResp.Frame(["EXISTS", .. keys])));
    }

    [Fact]
    public async Task The_http_batch_read_spans_slots()
    {
        await using var cluster = await proxy.Cluster.ConnectAsync();
        foreach (var key in new[] { "one", "two", "three" })
        {
            await cluster.GetDatabase().StringSetAsync(key, $"v-{key}");
        }

        using var client = ProxyClient.For(proxy.Api);
        var body = await client.Http.GetFromJsonAsync<JsonElement>("/?keys=one,two,three,four");

        Assert.Equal(["v-one", "v-two", "v-three", null], body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task A_command_whose_keys_span_slots_and_cannot_be_split_gets_redis_s_crossslot_error()
    {
        await using var raw = await RawResp.OpenAsync(proxy.Api.RespEndpoint);

        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", await raw.CallAsync(RawResp.Frame("RENAME", "alpha", "bravo")));
        Assert.Equal(":1\r\n", await raw.CallAsync(RawResp.Frame("SADD", "{tag}a", "m")));
        Assert.Equal(":1\r\n", await raw.CallAsync(RawResp.Frame("SMOVE", "{tag}a", "{tag}b", "m")));
    }
}
