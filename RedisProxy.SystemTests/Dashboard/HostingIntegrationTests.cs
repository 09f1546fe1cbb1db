using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Dashboard;

/// <summary>
/// The AppHost adds the proxy through RedisProxy.Hosting: its resource's connection string is the Redis-protocol
/// endpoint, so a Redis client given that connection string, as <c>AddRedisClient</c> would be, reads through the cache.
/// </summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class HostingIntegrationTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task A_redis_client_given_the_proxy_resource_s_connection_string_reads_through_its_cache()
    {
        var connectionString = await proxy.App.GetConnectionStringAsync("api") ?? throw new Xunit.Sdk.XunitException("no connection string");
        Assert.Equal(proxy.RespEndpoint.Authority, connectionString);
        var key = ProxyApp.UniqueKey("integration");
        await proxy.Backend.StringSetAsync(key, "from redis");
        var hitsBefore = await HitsAsync();

        await using var client = await ConnectionMultiplexer.ConnectAsync(connectionString);
        Assert.Equal("from redis", (string?)await client.GetDatabase().StringGetAsync(key));
        Assert.Equal("from redis", (string?)await client.GetDatabase().StringGetAsync(key));

        Assert.Contains(key, (await proxy.GetJsonAsync("/cache")).Body.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.True(await HitsAsync() > hitsBefore, "the second read was answered from the proxy's cache");
    }

    private async Task<long> HitsAsync()
    {
        using var management = proxy.App.CreateHttpClient("api", "management");
        var status = await management.GetFromJsonAsync<JsonElement>("/status");
        return status.GetProperty("cache").GetProperty("hits").GetInt64();
    }
}
