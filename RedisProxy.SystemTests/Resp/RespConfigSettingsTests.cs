using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Resp;

/// <summary>The API with the settings CONFIG GET reports changed from their defaults.</summary>
public sealed class TunedSettingsProxy : StandaloneProxy
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RESP_IDLE_TIMEOUT_SECONDS"] = "40",
        ["RESP_MAX_BULK_BYTES"] = "1048576",
        ["CACHE_MAX_BYTES"] = "4194304",
    };
}

/// <summary>CONFIG GET reports the settings the proxy runs with, and clients act on them.</summary>
public sealed class RespConfigSettingsTests(TunedSettingsProxy proxy) : IClassFixture<TunedSettingsProxy>
{
    [Fact]
    public async Task Timeout_bulk_length_and_memory_are_the_proxy_s_settings()
    {
        (string, string)[] expected = [("maxmemory", "4194304"), ("proto-max-bulk-len", "1048576"), ("timeout", "40")];

        var reply = await RespConfigTests.CallAsync(proxy.Api.RespEndpoint, 2, "CONFIG", "GET", "maxmemory", "proto-max-bulk-len", "timeout");

        Assert.Equal(RespConfigTests.Pairs(2, expected), reply);
    }

    [Fact]
    public async Task StackExchange_Redis_left_to_find_the_idle_timeout_keeps_its_connection_alive_within_it()
    {
        var endpoint = proxy.Api.RespEndpoint;
        using var log = new StringWriter();

        // keepAlive=0: it asks CONFIG GET timeout instead of writing every 60 s, its default.
        await using var client = await ConnectionMultiplexer.ConnectAsync($"{endpoint.Host}:{endpoint.Port},abortConnect=true,keepAlive=0", log);

        Assert.True(client.IsConnected);
        // Told of a 40 s timeout it writes at least every 30 s (three quarters of it); left at 60 s, the proxy would
        // close its idle connection in between.
        Assert.Contains("keep-alive: 00:00:30", log.ToString(), StringComparison.Ordinal);
    }
}
