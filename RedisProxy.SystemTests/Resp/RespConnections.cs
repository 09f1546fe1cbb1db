using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Resp;

/// <summary>Ways into the proxy's RESP port: StackExchange.Redis as any application would use it, and the INFO counters.</summary>
public static class RespConnections
{
    public static Task<ConnectionMultiplexer> ConnectClientAsync(this ProxyApp proxy, string? password = null)
    {
        var endpoint = proxy.RespEndpoint;
        var options = new ConfigurationOptions
        {
            EndPoints = { { endpoint.Host, endpoint.Port } },
            Password = password,
            AbortOnConnectFail = true,
            ConnectTimeout = 15_000,
            AsyncTimeout = 15_000,
            SyncTimeout = 15_000,
        };
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>One numeric field of the proxy's INFO, read over a fresh raw connection.</summary>
    public static async Task<long> InfoFieldAsync(this ProxyApp proxy, string field)
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        var info = await raw.CallAsync("*1\r\n$4\r\nINFO\r\n");
        var line = info.Split("\r\n").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How many times the backing Redis has run <paramref name="command"/>, from its commandstats.</summary>
    public static Task<long> BackendCallsAsync(this ProxyApp proxy, string command) => BackendCommandStats.CallsAsync(proxy.BackendServer, command);
}
