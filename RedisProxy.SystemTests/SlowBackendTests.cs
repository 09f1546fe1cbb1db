using System.Diagnostics;
using System.Net;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests;

/// <summary>
/// A backend that stops answering for longer than the timeout: every request still ends within the proxy's own
/// bound (slot wait + backend timeout), never 404 or a hang; the queue does not grow past its limit; other work goes on.
/// </summary>
public sealed class SlowBackendTests(SlowBackendProxyApp proxy) : IClassFixture<SlowBackendProxyApp>
{
    private static readonly TimeSpan BackendStall = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_stalled_backend_gets_bounded_failures_while_pings_and_hits_are_answered()
    {
        var cached = ProxyApp.UniqueKey("cached");
        await proxy.Backend.StringSetAsync(cached, "hit");
        Assert.Equal(200, (await proxy.GetJsonAsync($"/{cached}")).Status);
        var keys = Enumerable.Range(0, 100).Select(i => ProxyApp.UniqueKey($"stalled{i}")).ToArray();

        var stall = Stopwatch.StartNew();
        await proxy.Backend.ExecuteAsync("CLIENT", "PAUSE", ((int)BackendStall.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "ALL");
        var misses = keys.Select(async key =>
        {
            using var response = await proxy.Http.GetAsync($"/{key}");
            var body = await ProxyApp.ReadJsonAsync(response);
            return (response.StatusCode, Error: body.GetProperty("error").GetString() ?? "");
        }).ToArray();

        // Meanwhile the proxy itself stays responsive.
        Assert.Equal("""{"ping":"OK","status_code":200}""", await proxy.Http.GetStringAsync("/ping"));
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{cached}")).Body.GetProperty("source").GetString());

        var results = await Task.WhenAll(misses);
        Assert.True(stall.Elapsed < BackendStall, "every request should have ended before the backend woke up");
        Assert.All(results, r => Assert.True(
            r.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
            $"expected 503 or 504, got {r.StatusCode}"));
        // Two slots and ten queue places: everyone else is turned away at once rather than queued without bound.
        var turnedAway = results.Count(r => r.Error.Contains("too many requests are waiting", StringComparison.Ordinal));
        Assert.True(turnedAway >= keys.Length - 12, $"only {turnedAway} were turned away at the full queue");

        await proxy.Backend.StringSetAsync(keys[0], "awake");
        await Eventually.MatchesAsync(
            () => proxy.GetJsonAsync($"/{keys[0]}"),
            read => read.Status == 200,
            TimeSpan.FromSeconds(30),
            "the backend to answer again");
    }
}
