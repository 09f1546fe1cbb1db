using System.Diagnostics;
using System.Text;
using RedisProxy.SystemTests.Resp;

namespace RedisProxy.SystemTests.Reliability;

/// <summary>
/// Slow-loris over RESP: a client that trickles a command it never finishes, or says nothing at all, cannot hold a
/// connection for ever (RESP_FRAME_TIMEOUT_SECONDS, RESP_IDLE_TIMEOUT_SECONDS), while slow but honest clients are
/// served to the end.
/// </summary>
public sealed class RespSlowClientTests(RespTimeoutProxy proxy) : IClassFixture<RespTimeoutProxy>
{
    private static readonly TimeSpan TrickleInterval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_client_trickling_a_command_it_never_finishes_is_disconnected_while_others_are_served()
    {
        await using var bystander = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        await using var loris = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        var closed = loris.ReadUntilClosedAsync();

        // A SET whose value claims 1000 bytes; one byte every 200 ms, at most 40 bytes (8 s) in all.
        var frame = Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$5\r\nloris\r\n$1000\r\n" + new string('x', 1000));
        var sent = 0;
        while (sent < 40 && !closed.IsCompleted)
        {
            try
            {
                await loris.SendAsync(frame[sent..(sent + 1)]);
            }
            catch (IOException)
            {
                break;
            }

            sent++;
            Assert.Equal("+PONG\r\n", await bystander.CallAsync("PING\r\n"));
            await Task.Delay(TrickleInterval);
        }

        // Closed without a reply; with a 2 s frame timeout, long before the 40th byte (8 s of trickling).
        Assert.True(sent < 40, $"still connected after {sent} bytes");
        Assert.Equal("", await closed);
        Assert.Equal("$-1\r\n", await bystander.CallAsync("*2\r\n$3\r\nGET\r\n$5\r\nloris\r\n"));
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_idle_timeout_and_not_before()
    {
        await using var idle = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        Assert.Equal("+PONG\r\n", await idle.CallAsync("PING\r\n"));
        var quiet = Stopwatch.StartNew();

        Assert.Equal("", await idle.ReadUntilClosedAsync());

        // Nothing pending, so the 2 s frame timeout does not apply; only the 5 s idle one does.
        Assert.True(quiet.Elapsed >= RespTimeoutProxy.IdleTimeout - TimeSpan.FromMilliseconds(500), $"closed after {quiet.Elapsed}");
    }

    [Fact]
    public async Task A_slow_client_that_completes_each_command_in_time_is_served_to_the_end()
    {
        await using var slow = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        const int Commands = 30;
        var pause = TimeSpan.FromMilliseconds(100);

        // Each command in two halves 100 ms apart, and 100 ms between commands: ~6 s in all, past both timeouts, yet
        // no command takes 2 s to arrive and the client is never silent for 5 s. The wide margins keep this true on
        // a loaded machine, where this test's own pauses may run long.
        for (var i = 0; i < Commands; i++)
        {
            var command = RawResp.Frame("SET", $"slow:{i:D2}", $"value:{i:D2}");
            await slow.SendAsync(command[..(command.Length / 2)]);
            await Task.Delay(pause);
            await slow.SendAsync(command[(command.Length / 2)..]);
            await Task.Delay(pause);
        }

        Assert.Equal(Enumerable.Repeat("+OK\r\n", Commands), await slow.ReadRepliesAsync(Commands));

        Assert.Equal("$8\r\nvalue:29\r\n", await slow.CallAsync(RawResp.Frame("GET", "slow:29")));
    }
}
