using RedisProxy.SystemTests.Infrastructure;
using RedisProxy.SystemTests.Operations;
using StackExchange.Redis;

namespace RedisProxy.SystemTests;

/// <summary>
/// Misses that find every backend slot taken wait together and are read with one MGET when a slot comes free; each is
/// still answered exactly as a GET of its own would be: its value, 404 for an absent key, 409 for a key of another type.
/// </summary>
public sealed class QueuedMissTests(QueuedMissProxy proxy) : IClassFixture<QueuedMissProxy>
{
    private static readonly TimeSpan BackendPause = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Misses_waiting_for_the_slot_share_one_mget_and_each_gets_the_answer_of_its_own_get()
    {
        await using var backend = await ConnectionMultiplexer.ConnectAsync($"{proxy.Redis.ConnectionString},allowAdmin=true");
        var redis = backend.GetDatabase();
        var server = backend.GetServers()[0];
        using var client = ProxyClient.For(proxy.Api);
        var present = Enumerable.Range(0, 5).Select(i => $"queued-present-{i}").ToArray();
        foreach (var key in present)
        {
            await redis.StringSetAsync(key, $"value of {key}");
        }

        await redis.StringSetAsync("queued-first", "first");
        await redis.ListRightPushAsync("queued-list", "item");
        var mgets = await BackendCommandStats.CallsAsync(server, "mget");
        var exists = await BackendCommandStats.CallsAsync(server, "exists");

        // The paused backend holds the first miss in the only slot; the others arrive while it is there.
        await redis.ExecuteAsync("CLIENT", "PAUSE", ((long)BackendPause.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "ALL");
        var first = client.GetAsync("queued-first");
        await WaitForBackendAsync(client, "in_flight", 1);
        string[] waitingKeys = [.. present, "queued-absent", "queued-list"];
        var waiting = waitingKeys.Select(client.GetAsync).ToArray();
        await WaitForBackendAsync(client, "queued", waitingKeys.Length);

        var answers = await Task.WhenAll(waiting);
        Assert.Equal((200, "first", "redis"), await first);
        for (var i = 0; i < present.Length; i++)
        {
            Assert.Equal((200, $"value of {present[i]}", "redis"), answers[i]);
        }

        Assert.Equal((404, null, "redis"), answers[^2]);
        Assert.Equal(409, answers[^1].Status);
        // One MGET for the seven; its two nil answers, one of them a list, took one EXISTS (and a GET each).
        Assert.Equal(mgets + 1, await BackendCommandStats.CallsAsync(server, "mget"));
        Assert.Equal(exists + 1, await BackendCommandStats.CallsAsync(server, "exists"));
        Assert.Equal((200, $"value of {present[0]}", "local"), await client.GetAsync(present[0]));

        var status = (await client.StatusAsync()).GetProperty("backend");
        Assert.Equal(0, status.GetProperty("queued").GetInt64());
        Assert.Equal(0, status.GetProperty("rejected").GetInt64());
    }

    /// <summary>Waits, well within the backend's pause, until the proxy reports that many requests in that state.</summary>
    private static Task<long> WaitForBackendAsync(ProxyClient client, string field, long expected) =>
        Eventually.MatchesAsync(
            async () => (await client.StatusAsync()).GetProperty("backend").GetProperty(field).GetInt64(),
            count => count == expected,
            BackendPause / 2,
            $"{expected} requests {field} on the backend");
}
