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
    private static readonly TimeSpan MaxErrorWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

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
        var keys = load.Keys.SelectMany(client => client.Keys).ToArray();
        var values = await primary.GetDatabase().StringGetAsync([.. keys.Select(key => (RedisKey)key)]);
        var finalValues = keys.Zip(values, (key, value) => (key, value: (string?)value)).ToDictionary(pair => pair.key, pair => pair.value);

        var verdict = FailoverVerdict.Judge(load.Operations, finalValues, lossPossibleUntil, MaxErrorWindow);
        output.WriteLine(verdict.Summary);
        foreach (var problem in verdict.Problems)
        {
            output.WriteLine(problem);
        }

        Assert.Empty(verdict.Problems);

        await ProxiesServeWhatRedisHoldsAsync(proxies, load, finalValues);
        await TrackingFollowsTheNewPrimaryAsync(proxies.Tracking, primary, keys[0]);
    }

    /// <summary>
    /// After the failover each proxy serves what the new primary holds: the tracking proxy for every key, the other
    /// for the keys written through it (the seed's semantics keep others' writes out of its view until expiry).
    /// </summary>
    internal static async Task ProxiesServeWhatRedisHoldsAsync(ProxiesOver proxies, FailoverLoad load, IReadOnlyDictionary<string, string?> finalValues)
    {
        for (var p = 0; p < proxies.All.Count; p++)
        {
            using var client = ProxyClient.For(proxies.All[p]);
            foreach (var key in load.Keys.Where(c => p == 0 || c.Proxy == p).SelectMany(c => c.Keys))
            {
                var read = await client.GetAsync(key);
                Assert.Equal((finalValues[key] is null ? 404 : 200, finalValues[key], p), (read.Status, read.Value, p));
            }
        }
    }

    /// <summary>Tracking was re-armed on the new primary: a write made there directly reaches the tracking proxy's cache.</summary>
    internal static async Task TrackingFollowsTheNewPrimaryAsync(Infrastructure.ApiProcess tracking, IConnectionMultiplexer primary, string key)
    {
        using var client = ProxyClient.For(tracking);
        await client.WaitUntilInvalidationActiveAsync(Bounded);
        await client.CacheAsync(key);

        await primary.GetDatabase().StringSetAsync(key, "written directly after the failover");

        await Eventually.MatchesAsync(() => client.GetAsync(key), read => read.Value == "written directly after the failover", TimeSpan.FromSeconds(5), "the tracking proxy to serve the direct write");
    }
}
