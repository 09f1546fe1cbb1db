using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Resp;

/// <summary>
/// MULTI/EXEC/DISCARD/WATCH/UNWATCH through the proxy, on a pinned backend connection: atomic at Redis, with Redis's
/// own replies, and what EXEC wrote dropped from the cache.
/// </summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class TransactionTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task A_pipelined_transaction_runs_at_redis_all_at_once_and_the_cache_follows()
    {
        var (key, counter) = (ProxyApp.UniqueKey(), ProxyApp.UniqueKey());
        await proxy.Backend.StringSetAsync(key, "before");
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal(RawResp.Bulk("before"), await raw.CallAsync(RawResp.Frame("GET", key)));

        // As redis-py's default pipeline sends it: everything in one write.
        await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("SET", key, "after") + RawResp.Frame("INCR", counter)
            + RawResp.Frame("GET", key) + RawResp.Frame("EXEC") + RawResp.Frame("GET", key));

        string[] expected = ["+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "*3\r\n+OK\r\n:1\r\n$5\r\nafter\r\n", RawResp.Bulk("after")];
        Assert.Equal(expected, await raw.ReadRepliesAsync(expected.Length));
        Assert.Equal("after", (string?)await proxy.Backend.StringGetAsync(key));
    }

    [Fact]
    public async Task A_malformed_queued_command_aborts_the_transaction_and_nothing_runs()
    {
        var key = ProxyApp.UniqueKey();
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("SET", key, "v") + RawResp.Frame("SET", key) + RawResp.Frame("EXEC"));
        var replies = await raw.ReadRepliesAsync(4);

        Assert.Equal(["+OK\r\n", "+QUEUED\r\n", "-ERR wrong number of arguments for 'set' command\r\n"], replies[..3]);
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", replies[3]);
        Assert.False(await proxy.Backend.KeyExistsAsync(key));
    }

    [Fact]
    public async Task An_error_inside_exec_is_reported_for_its_command_and_the_others_run()
    {
        var (text, other) = (ProxyApp.UniqueKey(), ProxyApp.UniqueKey());
        await proxy.Backend.StringSetAsync(text, "not a number");
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("INCR", text) + RawResp.Frame("SET", other, "ran") + RawResp.Frame("EXEC"));
        var replies = await raw.ReadRepliesAsync(4);

        Assert.Equal("*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n", replies[3]);
        Assert.Equal("ran", (string?)await proxy.Backend.StringGetAsync(other));
    }

    [Theory]
    [InlineData("another client of the proxy")]
    [InlineData("a client of Redis itself")]
    public async Task A_watched_key_changed_by_someone_else_makes_exec_return_nil(string writer)
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "1");
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal("+OK\r\n", await raw.CallAsync(RawResp.Frame("WATCH", key)));
        Assert.Equal(RawResp.Bulk("1"), await raw.CallAsync(RawResp.Frame("GET", key)));

        if (writer == "a client of Redis itself")
        {
            await proxy.Backend.StringSetAsync(key, "changed");
        }
        else
        {
            await using var other = await RawResp.OpenAsync(proxy.RespEndpoint);
            Assert.Equal("+OK\r\n", await other.CallAsync(RawResp.Frame("SET", key, "changed")));
        }

        await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("SET", key, "2") + RawResp.Frame("EXEC"));
        Assert.Equal(["+OK\r\n", "+QUEUED\r\n", "*-1\r\n"], await raw.ReadRepliesAsync(3));
        Assert.Equal("changed", (string?)await proxy.Backend.StringGetAsync(key));
        Assert.Equal(RawResp.Bulk("changed"), await raw.CallAsync(RawResp.Frame("GET", key)));
    }

    [Fact]
    public async Task Discard_drops_the_queued_commands_and_exec_or_discard_without_multi_are_redis_s_errors()
    {
        var key = ProxyApp.UniqueKey();
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("SET", key, "v") + RawResp.Frame("DISCARD")
            + RawResp.Frame("EXEC") + RawResp.Frame("DISCARD"));

        Assert.Equal(["+OK\r\n", "+QUEUED\r\n", "+OK\r\n", "-ERR EXEC without MULTI\r\n", "-ERR DISCARD without MULTI\r\n"], await raw.ReadRepliesAsync(5));
        Assert.False(await proxy.Backend.KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_client_that_leaves_mid_transaction_has_it_discarded_never_executed()
    {
        var key = ProxyApp.UniqueKey();
        await using (var raw = await RawResp.OpenAsync(proxy.RespEndpoint))
        {
            await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("SET", key, "v"));
            Assert.Equal(["+OK\r\n", "+QUEUED\r\n"], await raw.ReadRepliesAsync(2));
        }

        // The pinned connection is closed with the client, which is what makes Redis drop the transaction.
        await Eventually.MatchesAsync(
            async () => (await proxy.BackendServer.ClientListAsync()).Count(c => c.Name == "redisproxy-pinned" && c.Flags.HasFlag(ClientFlags.Transaction)),
            open => open == 0,
            TimeSpan.FromSeconds(10),
            "the abandoned transaction's connection to close");
        Assert.False(await proxy.Backend.KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_backend_connection_lost_mid_transaction_fails_it_and_nothing_of_it_runs()
    {
        var key = ProxyApp.UniqueKey();
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("SET", key, "v"));
        Assert.Equal(["+OK\r\n", "+QUEUED\r\n"], await raw.ReadRepliesAsync(2));

        var pinned = (await proxy.BackendServer.ClientListAsync()).Single(c => c.Name == "redisproxy-pinned" && c.Flags.HasFlag(ClientFlags.Transaction));
        await proxy.BackendServer.ClientKillAsync(pinned.Id);

        Assert.StartsWith("-ERR the backend connection of this transaction failed", await raw.CallAsync(RawResp.Frame("EXEC")), StringComparison.Ordinal);
        Assert.False(await proxy.Backend.KeyExistsAsync(key));
        // The client goes on, and a new transaction gets a connection of its own.
        Assert.Equal("+OK\r\n", await raw.CallAsync(RawResp.Frame("MULTI")));
        Assert.Equal("+OK\r\n", await raw.CallAsync(RawResp.Frame("DISCARD")));
    }

    [Fact]
    public async Task StackExchange_Redis_conditional_transactions_commit_or_not_as_on_redis()
    {
        var key = ProxyApp.UniqueKey();
        await using var client = await ConnectionMultiplexer.ConnectAsync($"{proxy.RespEndpoint.Host}:{proxy.RespEndpoint.Port}");
        var db = client.GetDatabase();

        // The library's analyzer would have these be conditional SETs; the transaction itself is what is tested.
#pragma warning disable SER300, SER301
        var first = db.CreateTransaction();
        first.AddCondition(Condition.KeyNotExists(key));
        _ = first.StringSetAsync(key, "one");
        Assert.True(await first.ExecuteAsync());

        var second = db.CreateTransaction();
        second.AddCondition(Condition.KeyNotExists(key));
        _ = second.StringSetAsync(key, "two");
        Assert.False(await second.ExecuteAsync());

        var third = db.CreateTransaction();
        third.AddCondition(Condition.StringEqual(key, "one"));
        _ = third.StringSetAsync(key, "three");
        Assert.True(await third.ExecuteAsync());
#pragma warning restore SER300, SER301
        Assert.Equal("three", (string?)await proxy.Backend.StringGetAsync(key));
        Assert.Equal("three", (string?)await db.StringGetAsync(key));
    }

    [Fact]
    public async Task Two_hundred_transactions_on_fifty_connections_reuse_pinned_connections()
    {
        var counter = ProxyApp.UniqueKey();
        var accepted = long.Parse((await proxy.BackendServer.InfoAsync("stats")).SelectMany(g => g).First(p => p.Key == "total_connections_received").Value, System.Globalization.CultureInfo.InvariantCulture);
        var connections = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RawResp.OpenAsync(proxy.RespEndpoint)));
        try
        {
            await Task.WhenAll(connections.Select(async raw =>
            {
                for (var i = 0; i < 4; i++)
                {
                    await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("INCR", counter) + RawResp.Frame("EXEC"));
                    var replies = await raw.ReadRepliesAsync(3);
                    Assert.StartsWith("*1\r\n:", replies[2], StringComparison.Ordinal);
                }
            }));
        }
        finally
        {
            foreach (var raw in connections)
            {
                await raw.DisposeAsync();
            }
        }

        Assert.Equal("200", (string?)await proxy.Backend.StringGetAsync(counter));
        var opened = long.Parse((await proxy.BackendServer.InfoAsync("stats")).SelectMany(g => g).First(p => p.Key == "total_connections_received").Value, System.Globalization.CultureInfo.InvariantCulture) - accepted;
        Assert.True(opened <= 64, $"{opened} backend connections were opened for 200 transactions");
    }
}
