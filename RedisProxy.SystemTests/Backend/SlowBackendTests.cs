using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using RedisProxy.SystemTests.Infrastructure;
using RedisProxy.SystemTests.Resp;

namespace RedisProxy.SystemTests.Backend;

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

        // Connections first, then the requests back to back: they must all arrive within the backend timeout, or the
        // early ones end (and the circuit opens) before the late ones are even queued. A loaded machine opening 100
        // connections on demand spreads them over more than that.
        var connections = await Task.WhenAll(keys.Select(_ => OpenHttpConnectionAsync(proxy.Http.BaseAddress!)));
        var stall = Stopwatch.StartNew();
        await proxy.Backend.ExecuteAsync("CLIENT", "PAUSE", ((int)BackendStall.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "ALL");
        foreach (var (connection, key) in connections.Zip(keys))
        {
            await connection.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET /{key} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        }

        var misses = connections.Select(ReadResponseAsync).ToArray();

        // Meanwhile the proxy itself stays responsive.
        Assert.Equal("""{"ping":"OK","status_code":200}""", await proxy.Http.GetStringAsync("/ping"));
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{cached}")).Body.GetProperty("source").GetString());

        var results = await Task.WhenAll(misses);
        Assert.True(stall.Elapsed < BackendStall, "every request should have ended before the backend woke up");
        Assert.All(results, r => Assert.True(r.Status is 503 or 504, $"expected 503 or 504, got {r.Status}"));
        // Two slots and ten queue places: everyone else is turned away at once rather than queued without bound.
        var turnedAway = results.Count(r => r.Response.Contains("too many requests are waiting", StringComparison.Ordinal));
        Assert.True(turnedAway >= keys.Length - 12, $"only {turnedAway} were turned away at the full queue");

        await proxy.Backend.StringSetAsync(keys[0], "awake");
        await Eventually.MatchesAsync(
            () => proxy.GetJsonAsync($"/{keys[0]}"),
            read => read.Status == 200,
            TimeSpan.FromSeconds(30),
            "the backend to answer again");
    }

    [Theory]
    [InlineData("PUT over HTTP")]
    [InlineData("DEL over RESP")]
    public async Task A_write_the_backend_does_not_answer_in_time_leaves_reads_with_what_Redis_ends_up_holding(string write)
    {
        var key = ProxyApp.UniqueKey("unanswered");
        await proxy.Backend.StringSetAsync(key, "old");
        await proxy.GetJsonAsync($"/{key}");
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("source").GetString());

        // Redis holds every write for longer than the proxy waits (500 ms), then carries it out.
        await proxy.Backend.ExecuteAsync("CLIENT", "PAUSE", "2000", "WRITE");
        int? expectedStatus;
        string? expectedValue;
        if (write == "PUT over HTTP")
        {
            Assert.Equal(504, (await proxy.PutAsync($"/{key}", "new")).Status);
            (expectedStatus, expectedValue) = (200, "new");
        }
        else
        {
            await using var resp = await RawResp.OpenAsync(proxy.RespEndpoint);
            Assert.StartsWith("-", await resp.CallAsync(RawResp.Frame("DEL", key)), StringComparison.Ordinal);
            (expectedStatus, expectedValue) = (404, null);
        }

        // The cached "old" must not outlive the write: once Redis answers again, reads get what it holds.
        var read = await Eventually.MatchesAsync(
            () => proxy.GetJsonAsync($"/{key}"),
            read => read.Status is 200 or 404,
            TimeSpan.FromSeconds(30),
            "the backend to answer again");
        Assert.Equal((expectedStatus, expectedValue), (read.Status, read.Body.GetProperty("value").GetString()));
    }

    private static async Task<TcpClient> OpenHttpConnectionAsync(Uri address)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(address.Host, address.Port);
        return client;
    }

    /// <summary>Reads one response to the close that <c>Connection: close</c> asked for; disposes the connection.</summary>
    private static async Task<(int Status, string Response)> ReadResponseAsync(TcpClient connection)
    {
        using (connection)
        {
            using var reader = new StreamReader(connection.GetStream(), Encoding.ASCII);
            var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            // "HTTP/1.1 503 Service Unavailable"
            var status = int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
            return (status, response);
        }
    }
}
