using System.Text;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Resp;

/// <summary>Pub/sub through the proxy: a subscriber holds a pinned connection and gets Redis's frames, RESP2 and RESP3.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class PubSubTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task A_resp2_subscriber_gets_confirmations_messages_and_pongs_as_redis_sends_them()
    {
        var channel = ProxyApp.UniqueKey("channel");
        await using var subscriber = await RawResp.OpenAsync(proxy.RespEndpoint);

        Assert.Equal($"*3\r\n$9\r\nsubscribe\r\n{RawResp.Bulk(channel)}:1\r\n", await subscriber.CallAsync(RawResp.Frame("SUBSCRIBE", channel)));
        await PublishAsync(channel, "hello");
        Assert.Equal($"*3\r\n$7\r\nmessage\r\n{RawResp.Bulk(channel)}{RawResp.Bulk("hello")}", await subscriber.ReadReplyAsync());
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", await subscriber.CallAsync(RawResp.Frame("PING")));
        Assert.StartsWith("-ERR Can't execute 'get'", await subscriber.CallAsync(RawResp.Frame("GET", "k")), StringComparison.Ordinal);
        Assert.Equal($"*3\r\n$11\r\nunsubscribe\r\n{RawResp.Bulk(channel)}:0\r\n", await subscriber.CallAsync(RawResp.Frame("UNSUBSCRIBE", channel)));
    }

    [Fact]
    public async Task A_resp3_subscriber_gets_push_frames_and_can_still_run_commands()
    {
        var (channel, key) = (ProxyApp.UniqueKey("channel"), ProxyApp.UniqueKey());
        await proxy.Backend.StringSetAsync(key, "v");
        await using var subscriber = await RawResp.OpenAsync(proxy.RespEndpoint);
        await subscriber.CallAsync(RawResp.Frame("HELLO", "3"));

        Assert.Equal($">3\r\n$9\r\nsubscribe\r\n{RawResp.Bulk(channel)}:1\r\n", await subscriber.CallAsync(RawResp.Frame("SUBSCRIBE", channel)));
        Assert.Equal(RawResp.Bulk("v"), await subscriber.CallAsync(RawResp.Frame("GET", key)));
        await PublishAsync(channel, "hi");
        Assert.Equal($">3\r\n$7\r\nmessage\r\n{RawResp.Bulk(channel)}{RawResp.Bulk("hi")}", await subscriber.ReadReplyAsync());
    }

    [Fact]
    public async Task A_subscriber_receives_ten_thousand_messages_in_order()
    {
        const int Messages = 10_000;
        var channel = ProxyApp.UniqueKey("channel");
        await using var subscriber = await RawResp.OpenAsync(proxy.RespEndpoint);
        await subscriber.CallAsync(RawResp.Frame("SUBSCRIBE", channel));

        var publishing = Task.Run(async () =>
        {
            var batch = new StringBuilder();
            for (var i = 0; i < Messages; i++)
            {
                batch.Append(RawResp.Frame("PUBLISH", channel, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            await using var publisher = await RawResp.OpenAsync(proxy.RespEndpoint);
            await publisher.SendAsync(batch.ToString());
            await publisher.ReadRepliesAsync(Messages);
        });

        for (var i = 0; i < Messages; i++)
        {
            var message = await subscriber.ReadReplyAsync();
            Assert.EndsWith(RawResp.Bulk(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), message, StringComparison.Ordinal);
        }

        await publishing;
    }

    [Fact]
    public async Task StackExchange_Redis_subscribers_receive_what_is_published_through_the_proxy()
    {
        var channel = RedisChannel.Literal(ProxyApp.UniqueKey("channel"));
        await using var client = await ConnectionMultiplexer.ConnectAsync($"{proxy.RespEndpoint.Host}:{proxy.RespEndpoint.Port}");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        await client.GetSubscriber().SubscribeAsync(channel, (_, message) => received.TrySetResult(message!));
        Assert.Equal(1, await client.GetSubscriber().PublishAsync(channel, "through the proxy"));

        Assert.Equal("through the proxy", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_subscriber_that_leaves_gives_its_backend_connection_back()
    {
        var channel = ProxyApp.UniqueKey("channel");
        await using (var subscriber = await RawResp.OpenAsync(proxy.RespEndpoint))
        {
            await subscriber.CallAsync(RawResp.Frame("SUBSCRIBE", channel));
            Assert.Equal(1, await SubscribersAsync(channel));
        }

        await Eventually.MatchesAsync(() => SubscribersAsync(channel), count => count == 0, TimeSpan.FromSeconds(10), "the subscription to end with its client");
    }

    private async Task PublishAsync(string channel, string message) =>
        Assert.Equal(1, await proxy.Backend.PublishAsync(RedisChannel.Literal(channel), message));

    private async Task<long> SubscribersAsync(string channel) =>
        (long)(await proxy.Backend.ExecuteAsync("PUBSUB", "NUMSUB", channel))[1];
}
