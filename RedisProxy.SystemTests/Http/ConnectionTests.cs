using System.Net;
using Aspire.Hosting.Testing;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Http;

/// <summary>Many clients at once, and health endpoints that live on the management port only.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class ConnectionTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task Many_clients_at_once_each_get_their_own_key()
    {
        var keys = Enumerable.Range(0, 100).Select(i => ProxyApp.UniqueKey($"many{i}")).ToArray();
        foreach (var key in keys)
        {
            await proxy.Backend.StringSetAsync(key, $"v:{key}");
        }

        // Separate clients, separate connections, all in flight together; each key read twice (a miss and a hit).
        var clients = keys.Select(_ => proxy.App.CreateHttpClient("api", "http")).ToArray();
        try
        {
            var reads = await Task.WhenAll(keys.Concat(keys).Select((key, i) => ReadAsync(clients[i % clients.Length], key)));
            Assert.All(reads, read => Assert.Equal($"v:{read.Key}", read.Value));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task Health_is_served_on_the_management_port_and_is_a_plain_key_on_the_proxy_port()
    {
        using var management = proxy.App.CreateHttpClient("api", "management");
        using var health = await management.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        await proxy.Backend.StringSetAsync("health", "a key named health");
        var (status, body) = await proxy.GetJsonAsync("/health");
        Assert.Equal(200, status);
        Assert.Equal("a key named health", body.GetProperty("value").GetString());

        // And the management port never serves keys.
        using var key = await management.GetAsync("/health-not-a-route");
        Assert.Equal(HttpStatusCode.NotFound, key.StatusCode);
        Assert.DoesNotContain("value", await key.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<(string Key, string? Value)> ReadAsync(HttpClient client, string key)
    {
        using var response = await client.GetAsync($"/{key}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ProxyApp.ReadJsonAsync(response);
        return (key, body.GetProperty("value").GetString());
    }
}
