using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Resp;

/// <summary>MAX_PINNED_CONNECTIONS bounds the connections clients hold; one more is refused at once, and nothing of a refused transaction runs.</summary>
public sealed class PinnedPoolTests(PinnedPoolTests.OnePinnedProxy proxy) : IClassFixture<PinnedPoolTests.OnePinnedProxy>
{
    [Fact]
    public async Task With_every_pinned_connection_held_a_transaction_is_refused_whole_at_once()
    {
        var (key, refusedKey) = ($"pool-{Guid.NewGuid():N}", $"pool-{Guid.NewGuid():N}");
        await using var holder = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        Assert.Equal("+OK\r\n", await holder.CallAsync(RawResp.Frame("MULTI")));
        await using var other = await RawResp.OpenAsync(proxy.Api.RespEndpoint);

        await other.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("SET", refusedKey, "v") + RawResp.Frame("EXEC") + RawResp.Frame("BLPOP", "l", "1"));
        var replies = await other.ReadRepliesAsync(4);

        Assert.StartsWith("-ERR the proxy has no backend connection free for transactions, subscribers and blocking commands (MAX_PINNED_CONNECTIONS=1)", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("-ERR command refused: it follows a MULTI the proxy refused", replies[1], StringComparison.Ordinal);
        Assert.StartsWith("-EXECABORT", replies[2], StringComparison.Ordinal);
        Assert.StartsWith("-ERR the proxy has no backend connection free", replies[3], StringComparison.Ordinal);

        await holder.SendAsync(RawResp.Frame("SET", key, "held") + RawResp.Frame("EXEC"));
        Assert.Equal(["+QUEUED\r\n", "*1\r\n+OK\r\n"], await holder.ReadRepliesAsync(2));
        await using var redis = await RawResp.OpenAsync(new Uri($"tcp://127.0.0.1:{proxy.Redis.Port}"));
        Assert.Equal(RawResp.Bulk("held"), await redis.CallAsync(RawResp.Frame("GET", key)));
        Assert.Equal("$-1\r\n", await redis.CallAsync(RawResp.Frame("GET", refusedKey)));

        // The connection is back: the next transaction gets it, and /status counted one opened, two refused.
        Assert.Equal("+OK\r\n", await other.CallAsync(RawResp.Frame("MULTI")));
        Assert.Equal("+OK\r\n", await other.CallAsync(RawResp.Frame("DISCARD")));
        using var client = Operations.ProxyClient.For(proxy.Api);
        var pinned = (await client.StatusAsync()).GetProperty("backend").GetProperty("pinned");
        Assert.Equal((0, 1L, 2L), (pinned.GetProperty("in_use").GetInt32(), pinned.GetProperty("opened").GetInt64(), pinned.GetProperty("refused").GetInt64()));
    }

    public sealed class OnePinnedProxy : StandaloneProxy
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["MAX_PINNED_CONNECTIONS"] = "1",
        };
    }
}
