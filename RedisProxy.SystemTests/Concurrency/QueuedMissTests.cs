using RedisProxy.SystemTests.Infrastructure;
using RedisProxy.SystemTests.Operations;
using RedisProxy.SystemTests.Resp;
using StackExchange.Redis;
using KeyRead = (int Status, string? Value, string? Source);

namespace RedisProxy.SystemTests.Concurrency;

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
        await using var backend = await ConnectAsAdminAsync();
        var redis = backend.GetDatabase();
        var server = backend.GetServers()[0];
        using var client = ProxyClient.For(proxy.Api);
        var present = Enumerable.Range(0, 5).Select(i => $"queued-present-{i}").ToArray();
        await StoreValuesAsync(redis, present);

        await redis.StringSetAsync("queued-first", "first");
        await redis.ListRightPushAsync("queued-list", "item");
        var mgets = await BackendCommandStats.CallsAsync(server, "mget");
        var exists = await BackendCommandStats.CallsAsync(server, "exists");

        string[] waitingKeys = [.. present, "queued-absent", "queued-list"];
        var (first, waiting) = await MissWhileTheSlotIsHeldAsync(redis, client, "queued-first", waitingKeys);

        var answers = await Task.WhenAll(waiting);
        Assert.Equal((200, "first", "redis"), await first);
        for (var i = 0; i < present.Length; i++)
        {
            Assert.Equal((200, ValueOf(present[i]), "redis"), answers[i]);
        }

        Assert.Equal((404, null, "redis"), answers[^2]);
        Assert.Equal(409, answers[^1].Status);
        // One MGET for the seven; its two nil answers, one of them a list, took one EXISTS (and a GET each).
        Assert.Equal(mgets + 1, await BackendCommandStats.CallsAsync(server, "mget"));
        Assert.Equal(exists + 1, await BackendCommandStats.CallsAsync(server, "exists"));
        Assert.Equal((200, ValueOf(present[0]), "local"), await client.GetAsync(present[0]));

        var status = (await client.StatusAsync()).GetProperty("backend");
        Assert.Equal(0, status.GetProperty("queued").GetInt64());
        Assert.Equal(0, status.GetProperty("rejected").GetInt64());
    }

    [Fact]
    public async Task A_line_longer_than_one_batch_is_read_sixteen_keys_to_an_mget()
    {
        await using var backend = await ConnectAsAdminAsync();
        var redis = backend.GetDatabase();
        var server = backend.GetServers()[0];
        using var client = ProxyClient.For(proxy.Api);
        var keys = Enumerable.Range(0, 20).Select(i => $"queued-line-{i}").ToArray();
        await StoreValuesAsync(redis, keys);

        await redis.StringSetAsync("queued-line-first", "first");
        var mgets = await BackendCommandStats.CallsAsync(server, "mget");

        var (first, waiting) = await MissWhileTheSlotIsHeldAsync(redis, client, "queued-line-first", keys);

        var answers = await Task.WhenAll(waiting);
        Assert.Equal((200, "first", "redis"), await first);
        Assert.Equal(keys.Select(key => new KeyRead(200, ValueOf(key), "redis")), answers);
        Assert.Equal(mgets + 2, await BackendCommandStats.CallsAsync(server, "mget")); // 16 keys, then 4
    }

    [Fact]
    public async Task A_pipeline_of_misses_on_one_connection_has_at_most_sixteen_reads_waiting_on_the_backend()
    {
        await using var backend = await ConnectAsAdminAsync();
        var redis = backend.GetDatabase();
        using var client = ProxyClient.For(proxy.Api);
        var keys = Enumerable.Range(0, 40).Select(i => $"queued-pipeline-{i}").ToArray();
        await StoreValuesAsync(redis, keys);

        await using var raw = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        await PauseBackendAsync(redis);
        await raw.SendAsync(string.Concat(keys.Select(key => RawResp.Frame("GET", key))));

        // The rest of the pipeline waits in the connection, not in the proxy's queue: one read in the slot, fifteen queued.
        var load = await Eventually.MatchesAsync(
            async () => BackendLoad((await client.StatusAsync()).GetProperty("backend")),
            counts => counts.InFlight + counts.Queued >= 16,
            BackendPause / 2,
            "sixteen reads to wait on the backend");
        Assert.Equal((1, 15), load);
        Assert.Equal(keys.Select(key => RawResp.Bulk(ValueOf(key))), await raw.ReadRepliesAsync(keys.Length));
    }

    /// <summary>Gives each key the value "value of" and its name, in Redis only.</summary>
    private static async Task StoreValuesAsync(IDatabase redis, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            await redis.StringSetAsync(key, ValueOf(key));
        }
    }

    private static string ValueOf(string key) => $"value of {key}";

    /// <summary>A connection of the test's own to the backend; admin, for CLIENT PAUSE and INFO commandstats.</summary>
    private Task<ConnectionMultiplexer> ConnectAsAdminAsync() =>
        ConnectionMultiplexer.ConnectAsync($"{proxy.Redis.ConnectionString},allowAdmin=true");

    /// <summary>
    /// Pauses the backend, so that a miss for <paramref name="firstKey"/> holds the only slot, then sends misses for
    /// <paramref name="waitingKeys"/> and waits until all of them are queued behind it. The answers come after the pause.
    /// </summary>
    private static async Task<(Task<KeyRead> First, Task<KeyRead>[] Waiting)> MissWhileTheSlotIsHeldAsync(
        IDatabase redis, ProxyClient client, string firstKey, string[] waitingKeys)
    {
        await PauseBackendAsync(redis);
        var first = client.GetAsync(firstKey);
        await WaitForBackendAsync(client, "in_flight", 1);
        var waiting = waitingKeys.Select(client.GetAsync).ToArray();
        await WaitForBackendAsync(client, "queued", waitingKeys.Length);
        return (first, waiting);
    }

    /// <summary>Holds every command to the backend for <see cref="BackendPause"/>, the proxy's included.</summary>
    private static Task<RedisResult> PauseBackendAsync(IDatabase redis) =>
        redis.ExecuteAsync("CLIENT", "PAUSE", ((long)BackendPause.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "ALL");

    /// <summary>The requests holding and waiting for a backend slot, from one /status report.</summary>
    private static (long InFlight, long Queued) BackendLoad(System.Text.Json.JsonElement backend) =>
        (backend.GetProperty("in_flight").GetInt64(), backend.GetProperty("queued").GetInt64());

    /// <summary>Waits, well within the backend's pause, until the proxy reports that many requests in that state.</summary>
    private static Task<long> WaitForBackendAsync(ProxyClient client, string field, long expected) =>
        Eventually.MatchesAsync(
            async () => (await client.StatusAsync()).GetProperty("backend").GetProperty(field).GetInt64(),
            count => count == expected,
            BackendPause / 2,
            $"{expected} requests {field} on the backend");
}
