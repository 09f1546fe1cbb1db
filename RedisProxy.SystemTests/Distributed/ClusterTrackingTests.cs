using RedisProxy.SystemTests.Operations;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>Tracking on a Redis Cluster: one invalidation channel per primary, each reporting its node's writes.</summary>
public sealed class ClusterTrackingTests(TrackingClusterProxy proxy) : IClassFixture<TrackingClusterProxy>
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_primary_has_an_armed_channel_in_the_status()
    {
        using var client = ProxyClient.For(proxy.Api);
        await client.WaitUntilInvalidationActiveAsync(Bounded);
        var primaries = await PrimariesAsync();

        var channels = (await client.StatusAsync()).GetProperty("invalidation").GetProperty("channels").EnumerateArray().ToList();

        Assert.Equal(primaries.Order(), channels.Select(channel => channel.GetProperty("node").GetString()!).Order());
        Assert.All(channels, channel => Assert.True(channel.GetProperty("armed").GetBoolean()));
    }

    [Fact]
    public async Task A_write_made_directly_on_any_primary_reaches_the_cache()
    {
        using var client = ProxyClient.For(proxy.Api);
        await client.WaitUntilInvalidationActiveAsync(Bounded);
        await using var cluster = await proxy.Cluster.ConnectAsync();
        var database = cluster.GetDatabase();
        var keys = (await PrimariesAsync()).Select(primary => KeyServedBy(database, primary)).ToList();

        foreach (var key in keys)
        {
            await database.StringSetAsync(key, "before");
            await client.CacheAsync(key);
            await database.StringSetAsync(key, "after");

            await Eventually.MatchesAsync(() => client.GetAsync(key), read => read.Value == "after", TimeSpan.FromSeconds(5), $"the write of {key} to reach the cache");
        }
    }

    /// <summary>The addresses of the primaries serving slots, as the proxy names their channels.</summary>
    private async Task<IReadOnlyList<string>> PrimariesAsync()
    {
        var nodes = await RedisClusterDeployment.NodesAsync(proxy.Cluster.Nodes[0]);
        return [.. nodes.Where(node => node.ServesSlots && !node.IsFailed).Select(node => $"127.0.0.1:{node.Port}")];
    }

    private static string KeyServedBy(IDatabase database, string primary) =>
        Enumerable.Range(0, 1000).Select(i => $"tracked-{i}").First(key => database.IdentifyEndpoint(key)?.ToString() == primary);
}

/// <summary>The cluster fixture with CACHE_INVALIDATION=tracking.</summary>
public sealed class TrackingClusterProxy : ClusterProxy
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["CACHE_INVALIDATION"] = "tracking" };
}
