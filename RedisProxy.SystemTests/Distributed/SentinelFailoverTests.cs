using RedisProxy.SystemTests.Operations;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>
/// The proxy over a Sentinel deployment (primary, replica, three sentinels) through a failover, while clients write
/// and read through both doors of a proxy with tracking and one without.
/// </summary>
public sealed class SentinelFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bounded = FailoverChecks.Bounded;

    /// <summary>
    /// How long after the sentinels announce a switch a reply of the old primary may still be passed on: the proxy
    /// hears the announcement on its own connections, a moment after the test does.
    /// </summary>
    private static readonly TimeSpan AnnouncementSlack = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task A_sentinel_failover_loses_no_write_acknowledged_after_the_switch_and_serves_nothing_stale()
    {
        await using var deployment = await RedisSentinelDeployment.StartAsync();
        await using var proxies = await ProxiesOver.StartAsync(deployment.ConnectionString);
        await using var load = FailoverLoad.Start(proxies.All, "sentinel-failover");
        await load.WaitForSuccessesAsync(200, TimeSpan.Zero, Bounded);
        var switched = await WatchSwitchAsync(deployment, load);

        await RedisClusterDeployment.CliAsync(deployment.Sentinels[0], "SENTINEL", "FAILOVER", RedisSentinelDeployment.ServiceName);

        var switchedAt = await switched.WaitAsync(Bounded);

        await load.WaitForSuccessesAsync(200, switchedAt, Bounded);
        await load.StopAsync();
        await JudgeAsync(deployment, proxies, load, lossPossibleUntil: switchedAt + AnnouncementSlack);
    }

    [Fact]
    public async Task Killing_the_primary_loses_no_write_acknowledged_after_the_kill_and_serves_nothing_stale()
    {
        await using var deployment = await RedisSentinelDeployment.StartAsync();
        await using var proxies = await ProxiesOver.StartAsync(deployment.ConnectionString);
        await using var load = FailoverLoad.Start(proxies.All, "sentinel-kill");
        await load.WaitForSuccessesAsync(200, TimeSpan.Zero, Bounded);
        var switched = await WatchSwitchAsync(deployment, load);
        var primaryPort = await deployment.PrimaryPortAsync();

        var killedAt = load.Now;
        await deployment.Servers.Single(server => server.Port == primaryPort).KillAsync();

        var switchedAt = await switched.WaitAsync(Bounded);
        await load.WaitForSuccessesAsync(200, switchedAt, Bounded);
        await load.StopAsync();
        // Whatever the killed primary acknowledged but had not yet sent its replica is Redis's loss, not the proxy's.
        await JudgeAsync(deployment, proxies, load, lossPossibleUntil: killedAt);
    }

    /// <summary>Completes, with the load's clock, when a sentinel announces a new primary.</summary>
    private static async Task<Task<TimeSpan>> WatchSwitchAsync(RedisSentinelDeployment deployment, FailoverLoad load)
    {
        var switched = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sentinel = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { deployment.Sentinels[0].EndPoint },
            CommandMap = CommandMap.Sentinel,
        });
        await sentinel.GetSubscriber().SubscribeAsync(RedisChannel.Literal("+switch-master"), (_, _) => switched.TrySetResult(load.Now));
        _ = switched.Task.ContinueWith(_ => sentinel.DisposeAsync().AsTask(), TaskScheduler.Default);
        return switched.Task;
    }

    private async Task JudgeAsync(RedisSentinelDeployment deployment, ProxiesOver proxies, FailoverLoad load, TimeSpan lossPossibleUntil)
    {
        await using var primary = await RedisSentinelDeployment.ConnectAsync(await deployment.PrimaryPortAsync());
        await FailoverChecks.JudgeAsync(output, proxies, load, primary, lossPossibleUntil, trackedKey: load.Keys[0].Keys[0]);
    }
}
