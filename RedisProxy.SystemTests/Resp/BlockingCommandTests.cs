using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Resp;

/// <summary>Blocking commands wait on a pinned connection: answered as Redis answers them, and nobody else waits behind them.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class BlockingCommandTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task Blpop_waits_for_a_push_and_the_cache_of_the_popped_list_is_not_involved()
    {
        var list = ProxyApp.UniqueKey();
        await using var blocked = await RawResp.OpenAsync(proxy.RespEndpoint);
        await blocked.SendAsync(RawResp.Frame("BLPOP", list, "10"));

        await Eventually.MatchesAsync(() => BlockedClientsAsync(), count => count >= 1, TimeSpan.FromSeconds(10), "BLPOP to block at Redis");
        await using var pusher = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal(":1\r\n", await pusher.CallAsync(RawResp.Frame("RPUSH", list, "item")));

        Assert.Equal($"*2\r\n{RawResp.Bulk(list)}{RawResp.Bulk("item")}", await blocked.ReadReplyAsync());
        Assert.Equal(":0\r\n", await pusher.CallAsync(RawResp.Frame("LLEN", list)));
    }

    [Theory]
    [InlineData(2, "*-1\r\n")]
    [InlineData(3, "_\r\n")]
    public async Task A_blocking_command_that_times_out_answers_as_redis_does(int protocol, string expected)
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        await raw.CallAsync(RawResp.Frame("HELLO", protocol.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(expected, await raw.CallAsync(RawResp.Frame("BRPOP", ProxyApp.UniqueKey(), "0.1")));
        Assert.Equal(expected, await raw.CallAsync(RawResp.Frame("XREAD", "BLOCK", "100", "STREAMS", ProxyApp.UniqueKey(), "$")));
        Assert.Equal(":0\r\n", await raw.CallAsync(RawResp.Frame("WAIT", "0", "0")));
    }

    [Fact]
    public async Task A_blocked_client_holds_up_no_one_else()
    {
        var list = ProxyApp.UniqueKey();
        await using var blocked = await RawResp.OpenAsync(proxy.RespEndpoint);
        await blocked.SendAsync(RawResp.Frame("BLPOP", list, "30"));
        await Eventually.MatchesAsync(() => BlockedClientsAsync(), count => count >= 1, TimeSpan.FromSeconds(10), "BLPOP to block at Redis");

        // Fifty other clients, each with a hundred commands of its own, all answered while the BLPOP still waits.
        var keys = Enumerable.Range(0, 50).Select(i => ProxyApp.UniqueKey($"busy{i}")).ToArray();
        await Task.WhenAll(keys.Select(async key =>
        {
            await using var client = await RawResp.OpenAsync(proxy.RespEndpoint);
            for (var i = 0; i < 100; i++)
            {
                Assert.Equal($":{i + 1}\r\n", await client.CallAsync(RawResp.Frame("INCR", key)));
            }
        }));

        await using var pusher = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal(":1\r\n", await pusher.CallAsync(RawResp.Frame("RPUSH", list, "done")));
        Assert.Equal($"*2\r\n{RawResp.Bulk(list)}{RawResp.Bulk("done")}", await blocked.ReadReplyAsync());
    }

    [Fact]
    public async Task A_client_that_leaves_while_blocked_frees_its_backend_connection()
    {
        var list = ProxyApp.UniqueKey();
        await using (var blocked = await RawResp.OpenAsync(proxy.RespEndpoint))
        {
            await blocked.SendAsync(RawResp.Frame("BLPOP", list, "30"));
            await Eventually.MatchesAsync(() => BlockedClientsAsync(), count => count >= 1, TimeSpan.FromSeconds(10), "BLPOP to block at Redis");
        }

        await Eventually.MatchesAsync(() => BlockedClientsAsync(), count => count == 0, TimeSpan.FromSeconds(10), "the blocked connection to close");
        // Nothing pops the next element for a client that is gone.
        Assert.Equal(1, await proxy.Backend.ListRightPushAsync(list, "kept"));
        Assert.Equal(1, await proxy.Backend.ListLengthAsync(list));
    }

    /// <summary>
    /// Pinned connections blocked at Redis right now (flag <c>b</c>); not those whose last command was a blocking one
    /// that has since ended, which wait in the pool after other tests of the collection.
    /// </summary>
    private async Task<long> BlockedClientsAsync() =>
        (await proxy.BackendServer.ClientListAsync()).Count(c => c.Name == "redisproxy-pinned" && c.Flags.HasFlag(ClientFlags.Blocked));
}
