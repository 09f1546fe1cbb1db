using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Operations;

/// <summary>api-replicas=2: two proxies behind the AppHost's ports over one Redis, both serving, caches coherent.</summary>
public sealed class ReplicaTests(ReplicatedProxyApp app) : IClassFixture<ReplicatedProxyApp>
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_replicas_run_as_separate_processes_and_each_serves_what_the_other_wrote()
    {
        var replicas = await app.ReplicasAsync(Bounded);
        var (one, two) = (replicas[0], replicas[1]);
        var instances = await Task.WhenAll(replicas.Select(async r => (await r.StatusAsync()).GetProperty("instance").GetString()));
        Assert.Equal(ReplicatedProxyApp.ReplicaCount, instances.Distinct().Count());

        var key = ProxyApp.UniqueKey("replicated");
        await one.PutAsync(key, "from replica one");
        Assert.Equal((200, "from replica one", "redis"), await two.GetAsync(key));
        await two.PutAsync(key, "from replica two");
        Assert.Equal("from replica two", (await app.Backend.StringGetAsync(key)).ToString());
        await Eventually.MatchesAsync(() => one.GetAsync(key), read => read.Value == "from replica two", Bounded, "replica one to drop its own write");
    }

    [Fact]
    public async Task A_key_written_in_Redis_is_served_new_by_every_replica()
    {
        var replicas = await app.ReplicasAsync(Bounded);
        var key = ProxyApp.UniqueKey("replicas-coherent");
        await app.Backend.StringSetAsync(key, "old");
        foreach (var replica in replicas)
        {
            await replica.WaitUntilInvalidationActiveAsync(Bounded);
            Assert.Equal((200, "old", "local"), await replica.CacheAsync(key));
        }

        await app.Backend.StringSetAsync(key, "new");

        foreach (var replica in replicas)
        {
            await Eventually.MatchesAsync(() => replica.GetAsync(key), read => read.Value == "new", TimeSpan.FromSeconds(5), "every replica to serve the new value");
        }
    }

    [Fact]
    public async Task The_shared_management_endpoint_reaches_both_replicas()
    {
        var shared = app.App.GetEndpoint("api", "management");
        var seen = new HashSet<string>();

        // The AppHost balances connections, not requests: each probe opens a new one.
        await Eventually.MatchesAsync(
            async () =>
            {
                using var client = new HttpClient { BaseAddress = shared };
                seen.Add((await client.GetFromJsonAsync<JsonElement>("/status")).GetProperty("instance").GetString()!);
                return seen.Count;
            },
            count => count == ReplicatedProxyApp.ReplicaCount,
            Bounded,
            "both replicas to answer on the shared endpoint");
    }
}
