using Aspire.Hosting.Testing;
using RedisProxy.SystemTests.Infrastructure;
using RedisProxy.SystemTests.Operations;

namespace RedisProxy.SystemTests.Resp;

/// <summary>The RESP wire protocol over raw sockets: inline commands, pipelining, RESP3, errors that keep the connection.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class RespProtocolTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task An_inline_ping_is_answered()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        Assert.Equal("+PONG\r\n", await raw.CallAsync("PING\r\n"));
        Assert.Equal("$11\r\nhello world\r\n", await raw.CallAsync("ECHO \"hello world\"\r\n"));
    }

    [Fact]
    public async Task Every_command_the_proxy_answers_itself_is_answered_with_none_one_or_two_arguments_and_the_connection_goes_on()
    {
        // A command the proxy claims but no handler serves would end the connection: this finds one at once. (QUIT ends
        // the connection by design; a refused MULTI is ended by DISCARD.)
        string[] names = ["get", "mget", "exists", "set", "ping", "echo", "hello", "auth", "select", "reset", "client", "info", "config", "multi", "exec", "discard", "watch", "unwatch"];
        var key = ProxyApp.UniqueKey();
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        foreach (var name in names)
        {
            for (var arguments = 0; arguments <= 2; arguments++)
            {
                var discard = name == "multi" ? RawResp.Frame("DISCARD") : "";
                await raw.SendAsync(RawResp.Frame([name, .. Enumerable.Repeat(key, arguments)]) + discard + "PING\r\n");
                string[] replies;
                try
                {
                    var all = await raw.ReadRepliesAsync(discard.Length > 0 ? 3 : 2);
                    replies = [all[0], all[^1]];
                }
                catch (IOException e)
                {
                    throw new Xunit.Sdk.XunitException($"'{name}' with {arguments} argument(s) ended the connection: {e.Message}");
                }

                Assert.True(replies[1] == "+PONG\r\n", $"after '{name}' with {arguments} argument(s), which got {replies[0]}, PING got {replies[1]}");
            }
        }
    }

    [Fact]
    public async Task Commands_pipelined_in_one_write_are_answered_in_order()
    {
        var key = ProxyApp.UniqueKey();
        var missing = ProxyApp.UniqueKey();
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync(
            RawResp.Frame("ECHO", "first") +
            RawResp.Frame("SET", key, "value") +
            "PING\r\n" +
            RawResp.Frame("GET", missing) +
            RawResp.Frame("GET", key) +
            RawResp.Frame("ECHO", "last"));

        string[] expected = ["$5\r\nfirst\r\n", "+OK\r\n", "+PONG\r\n", "$-1\r\n", "$5\r\nvalue\r\n", "$4\r\nlast\r\n"];
        Assert.Equal(expected, await raw.ReadRepliesAsync(expected.Length));
    }

    [Fact]
    public async Task Gets_pipelined_behind_misses_get_their_own_answers_in_order_and_a_write_waits_for_the_reads_before_it()
    {
        string[] misses = [ProxyApp.UniqueKey("m0"), ProxyApp.UniqueKey("m1"), ProxyApp.UniqueKey("m2")];
        var (cached, absent, list, written) = (ProxyApp.UniqueKey("hit"), ProxyApp.UniqueKey("absent"), ProxyApp.UniqueKey("list"), ProxyApp.UniqueKey("set"));
        foreach (var key in misses)
        {
            await proxy.Backend.StringSetAsync(key, $"v-{key}");
        }

        await proxy.Backend.StringSetAsync(cached, "cached");
        await proxy.Backend.StringSetAsync(written, "old");
        await proxy.Backend.ListRightPushAsync(list, "item");
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal("$6\r\ncached\r\n", await raw.CallAsync(RawResp.Frame("GET", cached)));

        // The first GET of the write's key is read while the write waits behind it: it must see the old value.
        await raw.SendAsync(
            RawResp.Frame("GET", misses[0]) +
            RawResp.Frame("GET", cached) +
            RawResp.Frame("GET", absent) +
            RawResp.Frame("GET", list) +
            RawResp.Frame("GET", written) +
            RawResp.Frame("GET", new string('k', 1025)) +
            RawResp.Frame("GET", misses[1]) +
            RawResp.Frame("SET", written, "new") +
            RawResp.Frame("GET", written) +
            RawResp.Frame("GET", misses[2]) +
            RawResp.Frame("ECHO", "last"));

        string[] expected =
        [
            RawResp.Bulk($"v-{misses[0]}"), RawResp.Bulk("cached"), "$-1\r\n",
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            // A key longer than MAX_KEY_BYTES is read from Redis as it is, not cached.
            RawResp.Bulk("old"), "$-1\r\n", RawResp.Bulk($"v-{misses[1]}"),
            "+OK\r\n", RawResp.Bulk("new"), RawResp.Bulk($"v-{misses[2]}"), "$4\r\nlast\r\n",
        ];
        Assert.Equal(expected, await raw.ReadRepliesAsync(expected.Length));
    }

    [Fact]
    public async Task Misses_pipelined_on_one_connection_are_read_from_the_backend_together_not_one_at_a_time()
    {
        var keys = Enumerable.Range(0, 20).Select(i => ProxyApp.UniqueKey($"together{i}")).ToArray();
        foreach (var key in keys)
        {
            await proxy.Backend.StringSetAsync(key, $"v-{key}");
        }

        var mgets = await BackendCommandStats.CallsAsync(proxy.BackendServer, "mget");
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        // While the backend is paused (for less than the 1 s backend timeout), the reads pile up: one at a time, they
        // would never need more than one slot. Together, sixteen are in flight at once, more than the 11 slots, so the
        // reads that wait share an MGET.
        await proxy.Backend.ExecuteAsync("CLIENT", "PAUSE", "400", "ALL");
        await raw.SendAsync(string.Concat(keys.Select(key => RawResp.Frame("GET", key))));

        Assert.Equal(keys.Select(key => RawResp.Bulk($"v-{key}")), await raw.ReadRepliesAsync(keys.Length));
        Assert.True(await BackendCommandStats.CallsAsync(proxy.BackendServer, "mget") > mgets, "no read waited for a slot: the GETs were not read together");
    }

    [Fact]
    public async Task Writes_pipelined_on_one_connection_are_sent_together_and_reach_Redis_in_command_order()
    {
        var key = ProxyApp.UniqueKey("rewritten");
        var others = Enumerable.Range(0, 6).Select(i => ProxyApp.UniqueKey($"written{i}")).ToArray();
        using var client = new ProxyClient(proxy.App.GetEndpoint("api", "http"), proxy.App.GetEndpoint("api", "management"));
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        // While Redis holds writes (for less than the 1 s backend timeout), the writes of the pipeline pile up: one at
        // a time, there would never be more than one in flight.
        await proxy.Backend.ExecuteAsync("CLIENT", "PAUSE", "800", "WRITE");
        await raw.SendAsync(
            string.Concat(others.Select(other => RawResp.Frame("SET", other, $"v-{other}"))) +
            string.Concat(Enumerable.Range(1, 4).Select(i => RawResp.Frame("SET", key, $"v{i}"))) +
            RawResp.Frame("DEL", others[0]) +
            RawResp.Frame("SET", key, "v5"));
        await Eventually.MatchesAsync(
            async () => (await client.StatusAsync()).GetProperty("backend").GetProperty("in_flight").GetInt64(),
            inFlight => inFlight >= 8,
            TimeSpan.FromMilliseconds(600),
            "the writes to be in flight together");

        string[] expected = [.. Enumerable.Repeat("+OK\r\n", 10), ":1\r\n", "+OK\r\n"];
        Assert.Equal(expected, await raw.ReadRepliesAsync(expected.Length));

        // Redis carried them out in command order, and reads after them, through the proxy too, see the last.
        Assert.Equal("v5", (string?)await proxy.Backend.StringGetAsync(key));
        Assert.False(await proxy.Backend.KeyExistsAsync(others[0]));
        Assert.Equal($"v-{others[5]}", (string?)await proxy.Backend.StringGetAsync(others[5]));
        Assert.Equal(RawResp.Bulk("v5"), await raw.CallAsync(RawResp.Frame("GET", key)));

        // Writes of other keys in flight together do not keep each other out of the cache.
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{others[5]}")).Body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_read_pipelined_behind_writes_sees_them_and_its_reply_comes_after_theirs()
    {
        var key = ProxyApp.UniqueKey("readback");
        await proxy.Backend.StringSetAsync(key, "old");
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal(RawResp.Bulk("old"), await raw.CallAsync(RawResp.Frame("GET", key)));

        // The first GET is a hit on "old" in the cache: it must wait for the writes sent before it, not answer at once.
        await raw.SendAsync(
            RawResp.Frame("SET", key, "new") +
            RawResp.Frame("GET", key) +
            RawResp.Frame("DEL", key) +
            RawResp.Frame("SET", key, "again", "EX", "10") +
            RawResp.Frame("GET", key));

        string[] expected = ["+OK\r\n", RawResp.Bulk("new"), ":1\r\n", "+OK\r\n", RawResp.Bulk("again")];
        Assert.Equal(expected, await raw.ReadRepliesAsync(expected.Length));
    }

    [Fact]
    public async Task Commands_pipelined_around_a_value_of_several_mebibytes_are_answered_in_order()
    {
        // The large frame is assembled apart from the socket's pipe and run on the thread pool; the commands sent
        // with it, before and after, must still be answered once each and in order.
        var key = ProxyApp.UniqueKey();
        var value = new string('v', 3 * 1024 * 1024);
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync(
            RawResp.Frame("ECHO", "first") +
            RawResp.Frame("SET", key, value) +
            RawResp.Frame("ECHO", "middle") +
            RawResp.Frame("EXISTS", key) +
            "PING\r\n");

        string[] expected = ["$5\r\nfirst\r\n", "+OK\r\n", "$6\r\nmiddle\r\n", ":1\r\n", "+PONG\r\n"];
        Assert.Equal(expected, await raw.ReadRepliesAsync(expected.Length));

        // Nothing more was answered, and the connection still serves.
        Assert.Equal("+PONG\r\n", await raw.CallAsync("PING\r\n"));
        Assert.Equal(value, (string?)await proxy.Backend.StringGetAsync(key));
    }

    [Fact]
    public async Task After_hello_3_replies_are_resp3_and_null_is_an_underscore()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal("$-1\r\n", await raw.CallAsync($"GET {ProxyApp.UniqueKey()}\r\n"));

        var hello = await raw.CallAsync("*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n");

        // The backend's version, so that a client picks the commands its Redis has.
        var version = proxy.BackendServer.Info("server").SelectMany(section => section).Single(field => field.Key == "redis_version").Value;
        Assert.StartsWith($"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n${version.Length}\r\n{version}\r\n", hello, StringComparison.Ordinal);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", hello, StringComparison.Ordinal);
        Assert.EndsWith("$7\r\nmodules\r\n*0\r\n", hello, StringComparison.Ordinal);
        Assert.Equal("_\r\n", await raw.CallAsync($"GET {ProxyApp.UniqueKey()}\r\n"));
        var hash = ProxyApp.UniqueKey();
        Assert.Equal(":1\r\n", await raw.CallAsync(RawResp.Frame("HSET", hash, "f", "v")));
        Assert.Equal("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", await raw.CallAsync(RawResp.Frame("HGETALL", hash)));

        // HELLO 2 switches back.
        Assert.StartsWith("*14\r\n", await raw.CallAsync("HELLO 2\r\n"), StringComparison.Ordinal);
        Assert.Equal("$-1\r\n", await raw.CallAsync($"GET {ProxyApp.UniqueKey()}\r\n"));
    }

    [Fact]
    public async Task Unknown_refused_and_misused_commands_are_errors_that_leave_the_connection_usable()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        Assert.Equal("-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n", await raw.CallAsync("NOSUCH a b\r\n"));
        Assert.StartsWith("-ERR 'DEBUG' is not allowed through the proxy (an admin command", await raw.CallAsync("debug sleep 0\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR 'MONITOR' is not supported by the proxy", await raw.CallAsync("MONITOR\r\n"), StringComparison.Ordinal);
        Assert.Equal(
            "-ERR 'CLIENT TRACKING' is not supported by the proxy (its clients share connections to the backend)\r\n",
            await raw.CallAsync("CLIENT TRACKING ON\r\n"));
        Assert.StartsWith("-ERR 'CLIENT KILL' is not supported by the proxy", await raw.CallAsync("client kill id 1\r\n"), StringComparison.Ordinal);
        Assert.Equal("-ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.\r\n", await raw.CallAsync("CLIENT NOSUCH\r\n"));
        Assert.Contains("+TRACKING, KILL, LIST, INFO, PAUSE, REPLY and the others\r\n", await raw.CallAsync("CLIENT HELP\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR 'CONFIG SET' is not supported by the proxy", await raw.CallAsync("CONFIG SET maxmemory 1\r\n"), StringComparison.Ordinal);
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", await raw.CallAsync("GET\r\n"));
        Assert.Equal("-ERR DB index is out of range\r\n", await raw.CallAsync("SELECT 16\r\n"));
        Assert.Equal("+OK\r\n", await raw.CallAsync("SELECT 0\r\n"));
        Assert.Equal("-NOPROTO unsupported protocol version\r\n", await raw.CallAsync("HELLO 4\r\n"));

        Assert.Equal("+PONG\r\n", await raw.CallAsync("PING\r\n"));
    }

    [Fact]
    public async Task Client_name_id_and_info_answer_like_redis()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        Assert.Equal("$-1\r\n", await raw.CallAsync("CLIENT GETNAME\r\n"));
        Assert.Equal("+OK\r\n", await raw.CallAsync("CLIENT SETNAME tester\r\n"));
        Assert.Equal("$6\r\ntester\r\n", await raw.CallAsync("CLIENT GETNAME\r\n"));
        Assert.Equal("+OK\r\n", await raw.CallAsync("CLIENT SETINFO lib-name raw\r\n"));
        Assert.Matches(@"^:\d+\r\n$", await raw.CallAsync("CLIENT ID\r\n"));
        Assert.Matches(@"^:\d+\r\n$", await raw.CallAsync("COMMAND COUNT\r\n"));

        var info = await raw.CallAsync("INFO\r\n");
        foreach (var field in new[] { "redis_version:", "connected_clients:", "keyspace_hits:", "# Proxy", "cached_keys:", "cache_hits:", "cache_misses:" })
        {
            Assert.Contains(field, info, StringComparison.Ordinal);
        }

        Assert.Equal("+RESET\r\n", await raw.CallAsync("RESET\r\n"));
        Assert.Equal("$-1\r\n", await raw.CallAsync("CLIENT GETNAME\r\n"));
    }

    [Fact]
    public async Task Quit_answers_ok_and_closes_the_connection()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync("QUIT\r\nPING\r\n");

        Assert.Equal("+OK\r\n", await raw.ReadUntilClosedAsync());
    }
}
