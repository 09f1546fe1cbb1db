using RedisProxy.SystemTests.Infrastructure;
using RedisProxy.SystemTests.Operations;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>What every failover test asserts once its load has stopped, against what Redis holds afterwards.</summary>
internal static class FailoverChecks
{
    public static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MaxErrorWindow = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The load's verdict (see <see cref="FailoverVerdict"/>), then each proxy serves what <paramref name="redis"/>
    /// holds, then the tracking proxy hears of a direct write to <paramref name="trackedKey"/>.
    /// </summary>
    public static async Task JudgeAsync(
        ITestOutputHelper output, ProxiesOver proxies, FailoverLoad load, IConnectionMultiplexer redis, TimeSpan lossPossibleUntil, string trackedKey)
    {
        var keys = load.Keys.SelectMany(client => client.Keys).ToArray();
        // One key at a time: on a cluster the keys span slots.
        var values = await Task.WhenAll(keys.Select(key => redis.GetDatabase().StringGetAsync(key)));
        var finalValues = keys.Zip(values, (key, value) => (key, value: (string?)value)).ToDictionary(pair => pair.key, pair => pair.value);

        var verdict = FailoverVerdict.Judge(load.Operations, finalValues, lossPossibleUntil, MaxErrorWindow);
        output.WriteLine(verdict.Summary);
        foreach (var problem in verdict.Problems)
        {
            output.WriteLine(problem);
        }

        Assert.Empty(verdict.Problems);

        await ProxiesServeWhatRedisHoldsAsync(proxies, load, finalValues);
        await TrackingHearsOfDirectWritesAsync(proxies.Tracking, redis, trackedKey);
    }

    /// <summary>
    /// After the failover each proxy serves what Redis holds: the tracking proxy for every key, the other for the keys
    /// written through it (the seed's semantics keep others' writes out of its view until expiry).
    /// </summary>
    private static async Task ProxiesServeWhatRedisHoldsAsync(ProxiesOver proxies, FailoverLoad load, Dictionary<string, string?> finalValues)
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
    private static async Task TrackingHearsOfDirectWritesAsync(ApiProcess tracking, IConnectionMultiplexer redis, string key)
    {
        using var client = ProxyClient.For(tracking);
        await client.WaitUntilInvalidationActiveAsync(Bounded);
        await client.CacheAsync(key);

        await redis.GetDatabase().StringSetAsync(key, "written directly after the failover");

        await Eventually.MatchesAsync(() => client.GetAsync(key), read => read.Value == "written directly after the failover", TimeSpan.FromSeconds(5), "the tracking proxy to serve the direct write");
    }
}
