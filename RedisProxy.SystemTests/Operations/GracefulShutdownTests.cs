using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Operations;

/// <summary>SIGTERM, as a container runtime or systemd sends it: stop accepting, finish what is in flight, exit 0.</summary>
public sealed class GracefulShutdownTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task On_SIGTERM_the_proxy_stops_accepting_finishes_the_request_in_flight_and_exits_0()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var backend = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");
        await backend.GetDatabase().StringSetAsync("in-flight", "finished after SIGTERM");
        await using var api = ApiProcess.Start(new Dictionary<string, string>
        {
            ["REDIS_SERVER_IP"] = "127.0.0.1",
            ["REDIS_SERVER_PORT"] = redis.Port.ToString(CultureInfo.InvariantCulture),
            // Long enough to wait out the backend pause below; the grace period longer still.
            ["BACKEND_TIMEOUT_MS"] = "10000",
            ["SHUTDOWN_TIMEOUT_SECONDS"] = "20",
        });
        await api.WaitUntilServingAsync(StartTimeout);
        using var proxy = ProxyClient.For(api);
        var missesBefore = await MissesAsync(proxy);

        // The backend holds every command for 4 s, so the read below stays in flight across the SIGTERM.
        await backend.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", "4000", "ALL");
        var inFlight = proxy.GetAsync("in-flight");
        await Eventually.MatchesAsync(() => MissesAsync(proxy), misses => misses > missesBefore, TimeSpan.FromSeconds(10), "the read to miss the cache and go to the backend");

        await api.TerminateAsync();

        await Eventually.MatchesAsync(() => AcceptsAsync(api.HttpPort), accepts => !accepts, TimeSpan.FromSeconds(2.5), "the proxy to stop accepting connections");
        Assert.False(inFlight.IsCompleted, "the backend pause should still hold the request");
        Assert.Equal((200, "finished after SIGTERM", "redis"), await inFlight);
        Assert.Equal(0, await api.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<long> MissesAsync(ProxyClient proxy) =>
        (await proxy.StatusAsync()).GetProperty("cache").GetProperty("misses").GetInt64();

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
