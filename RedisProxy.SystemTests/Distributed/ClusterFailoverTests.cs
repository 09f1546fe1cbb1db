using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>
/// The proxy over a Redis Cluster (3 primaries, 3 replicas) through the failover of one primary, while clients write
/// and read through both doors of a proxy with tracking and one without.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bounded = FailoverChecks.Bounded;

    [Fact]
    public async Task A_cluster_failover_loses_no_acknowledged_write_and_serves_nothing_stale()
    {
        await using var cluster = await RedisClusterDeployment.StartAsync();
        await using var proxies = await ProxiesOver.StartAsync(cluster.ConnectionString);
        await using var load = FailoverLoad.Start(proxies.All, "cluster-failover");
        await load.WaitForSuccessesAsync(200, TimeSpan.Zero, Bounded);
        var (_, replica) = await cluster.PrimaryWithReplicaAsync();

        // A manual failover waits for the replica to catch up and pauses the primary's clients meanwhile: nothing may be lost.
        await RedisClusterDeployment.CliAsync(replica, "CLUSTER", "FAILOVER");

        await cluster.WaitUntilPrimaryAsync(replica, Bounded);
        await load.WaitForSuccessesAsync(200, load.Now, Bounded);
        await load.StopAsync();
        await JudgeAsync(cluster, proxies, load, replica, lossPossibleUntil: TimeSpan.Zero);
    }

    [Fact]
    public async Task Killing_a_primary_loses_no_write_acknowledged_after_the_kill_and_serves_nothing_stale()
    {
        await using var cluster = await RedisClusterDeployment.StartAsync();
        await using var proxies = await ProxiesOver.StartAsync(cluster.ConnectionString);
        await using var load = FailoverLoad.Start(proxies.All, "cluster-kill");
        await load.WaitForSuccessesAsync(200, TimeSpan.Zero, Bounded);
        var (primary, replica) = await cluster.PrimaryWithReplicaAsync();

        var killedAt = load.Now;
        await primary.KillAsync();

        await cluster.WaitUntilPrimaryAsync(replica, Bounded);
        await load.WaitForSuccessesAsync(200, load.Now, Bounded);
        await load.StopAsync();
        // Whatever the killed primary acknowledged but had not yet sent its replica is Redis's loss, not the proxy's.
        await JudgeAsync(cluster, proxies, load, replica, lossPossibleUntil: killedAt);
    }

    /// <summary>Judges against the cluster, the tracked key chosen among the promoted replica's, so its new channel is proven.</summary>
    private async Task JudgeAsync(RedisClusterDeployment cluster, ProxiesOver proxies, FailoverLoad load, LocalProcess promoted, TimeSpan lossPossibleUntil)
    {
        await using var redis = await cluster.ConnectAsync();
        var database = redis.GetDatabase();
        var trackedKey = load.Keys.SelectMany(client => client.Keys)
            .First(key => database.IdentifyEndpoint(key)?.ToString() == promoted.EndPoint);
        await FailoverChecks.JudgeAsync(output, proxies, load, redis, lossPossibleUntil, trackedKey);
    }
}
