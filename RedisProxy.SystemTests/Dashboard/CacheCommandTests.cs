using System.Text.Json;
using Aspire.Hosting;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Dashboard;

/// <summary>The API resource's dashboard commands, run the way the dashboard runs them.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class CacheCommandTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task Cache_status_reports_the_cached_keys()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "v");
        await proxy.GetJsonAsync($"/{key}");

        var result = await proxy.App.ResourceCommands.ExecuteCommandAsync("api", "cache-status");

        Assert.True(result.Success, result.Message);
        using var status = JsonDocument.Parse(result.Data?.Value ?? throw new Xunit.Sdk.XunitException("no result data"));
        Assert.Contains(key, status.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.True(status.RootElement.GetProperty("occupancy").GetInt32() >= 1);
    }

    [Fact]
    public async Task Clear_cache_empties_the_local_cache_and_reads_go_back_to_redis()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "v");
        await proxy.GetJsonAsync($"/{key}");
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("source").GetString());

        var result = await proxy.App.ResourceCommands.ExecuteCommandAsync("api", "clear-cache");

        Assert.True(result.Success, result.Message);
        var (_, cache) = await proxy.GetJsonAsync("/cache");
        Assert.Equal(0, cache.GetProperty("occupancy").GetInt32());
        Assert.Equal("redis", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("source").GetString());
    }
}
