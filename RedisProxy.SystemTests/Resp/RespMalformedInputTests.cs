using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Resp;

/// <summary>
/// Frames no client should send: each gets a protocol error and closes only its own connection, and the server goes
/// on serving everyone else. Clients that vanish mid-frame leave nothing behind.
/// </summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class RespMalformedInputTests(DefaultProxyApp proxy)
{
    [Theory]
    // A bulk length far over RESP_MAX_BULK_BYTES (512 MB).
    [InlineData("*2\r\n$3\r\nGET\r\n$99999999999\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    // A negative bulk length.
    [InlineData("*2\r\n$3\r\nGET\r\n$-3\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    // A multibulk count over RESP_MAX_MULTIBULK_LENGTH.
    [InlineData("*99999999\r\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    // A payload longer than its declared length: no CRLF where it must be.
    [InlineData("*1\r\n$4\r\nPINGPONG\r\n", "-ERR Protocol error: expected CRLF after bulk data\r\n")]
    // A length line without its CR.
    [InlineData("*1\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    // Garbage where an element's type byte should be.
    [InlineData("*1\r\n\u0007\u0000\u00ff", "-ERR Protocol error: expected '$', got '\\x07'\r\n")]
    // A quote that never closes on an inline line.
    [InlineData("ECHO \"open\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n")]
    public async Task A_malformed_frame_gets_a_protocol_error_and_closes_only_its_connection(string frame, string expected)
    {
        await using var bystander = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal("+PONG\r\n", await bystander.CallAsync("PING\r\n"));

        await using (var offender = await RawResp.OpenAsync(proxy.RespEndpoint))
        {
            // Commands before the bad frame in the same write are still answered.
            await offender.SendAsync("PING\r\n" + frame);
            Assert.Equal("+PONG\r\n" + expected, await offender.ReadUntilClosedAsync());
        }

        Assert.Equal("+PONG\r\n", await bystander.CallAsync("PING\r\n"));
        await using var newcomer = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal("+PONG\r\n", await newcomer.CallAsync("PING\r\n"));
    }

    [Fact]
    public async Task An_inline_line_longer_than_the_limit_is_refused_without_waiting_for_its_end()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync(new string('a', (64 * 1024) + 10));

        Assert.Equal("-ERR Protocol error: too big inline request\r\n", await raw.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task An_http_request_sent_to_the_resp_port_is_dropped_without_an_answer()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync("POST / HTTP/1.1\r\nHost: localhost\r\n\r\nSET k v\r\n");

        Assert.Equal("", await raw.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task Clients_that_hang_up_mid_frame_leave_no_connection_behind()
    {
        var before = await proxy.InfoFieldAsync("proxy_connected_clients");
        string[] halves =
        [
            "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nonly a few bytes",
            "*2\r\n$3\r\nGE",
            "*2\r\n$3\r\nGET\r\n$5000000\r\n",
            "PING",
            "*",
        ];
        foreach (var half in halves)
        {
            await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
            await raw.SendAsync(half);
        }

        // InfoFieldAsync's own connection counts itself, as before.
        await Eventually.MatchesAsync(() => proxy.InfoFieldAsync("proxy_connected_clients"), n => n == before, TimeSpan.FromSeconds(10), "the abandoned connections to be gone");
        await using var newcomer = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal("+PONG\r\n", await newcomer.CallAsync("PING\r\n"));
    }
}
