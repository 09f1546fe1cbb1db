using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Resp;

/// <summary>Transactions are not forwarded yet: a refused MULTI refuses its commands too, so nothing of it reaches Redis.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class RefusedTransactionTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task A_pipelined_transaction_is_refused_whole_and_nothing_of_it_reaches_redis()
    {
        var (key, counter) = (ProxyApp.UniqueKey(), ProxyApp.UniqueKey());
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("SET", key, "v") + RawResp.Frame("INCR", counter) + RawResp.Frame("EXEC"));
        var replies = await raw.ReadRepliesAsync(4);

        Assert.StartsWith("-ERR 'MULTI' is not supported by the proxy yet", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("-ERR command refused: it follows a MULTI the proxy refused", replies[1], StringComparison.Ordinal);
        Assert.Equal(replies[1], replies[2]);
        Assert.StartsWith("-EXECABORT", replies[3], StringComparison.Ordinal);
        Assert.False(await proxy.Backend.KeyExistsAsync(key));
        Assert.False(await proxy.Backend.KeyExistsAsync(counter));
        // The transaction is over: commands run again.
        Assert.Equal("+OK\r\n", await raw.CallAsync(RawResp.Frame("SET", key, "after")));
    }

    [Fact]
    public async Task Discard_ends_a_refused_transaction_and_exec_without_multi_is_redis_s_error()
    {
        var key = ProxyApp.UniqueKey();
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        await raw.SendAsync(RawResp.Frame("MULTI") + RawResp.Frame("SET", key, "v") + RawResp.Frame("DISCARD") + RawResp.Frame("EXEC"));
        var replies = await raw.ReadRepliesAsync(4);

        Assert.Equal("+OK\r\n", replies[2]);
        Assert.Equal("-ERR EXEC without MULTI\r\n", replies[3]);
        Assert.False(await proxy.Backend.KeyExistsAsync(key));
    }
}
