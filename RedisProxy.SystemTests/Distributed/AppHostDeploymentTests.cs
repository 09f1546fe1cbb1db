using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using RedisProxy.SystemTests.Infrastructure;
using RedisProxy.SystemTests.Resp;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>
/// <c>--redis-mode cluster</c> and <c>--redis-mode sentinel</c>: the AppHost starts every node as a resource of its
/// own, and the proxy serves over the deployment.
/// </summary>
public abstract class AppHostDeploymentTests(ProxyApp proxy, string[] nodes)
{
    [Fact]
    public void Every_node_is_a_resource_of_the_app_host()
    {
        var model = proxy.App.Services.GetRequiredService<DistributedApplicationModel>();

        Assert.Subset(model.Resources.Select(resource => resource.Name).ToHashSet(), nodes.ToHashSet());
    }

    [Fact]
    public async Task Both_doors_serve_over_the_deployment()
    {
        var key = ProxyApp.UniqueKey("deployment");
        Assert.Equal(200, (await proxy.PutAsync($"/{key}", "written through http")).Status);
        Assert.Equal("written through http", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("value").GetString());
        Assert.Equal("written through http", (string?)await proxy.Backend.StringGetAsync(key));

        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal("+OK\r\n", await raw.CallAsync(RawResp.Frame("MSET", "alpha", "1", "bravo", "2", "charlie", "3")));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", await raw.CallAsync(RawResp.Frame("MGET", "alpha", "bravo", "charlie")));
    }
}

public sealed class AppHostClusterTests(ClusterAppHost proxy)
    : AppHostDeploymentTests(proxy, [.. Enumerable.Range(1, 6).Select(i => $"redis-node-{i}"), "redis-cluster-create"]), IClassFixture<ClusterAppHost>;

public sealed class AppHostSentinelTests(SentinelAppHost proxy)
    : AppHostDeploymentTests(proxy, ["redis-primary", "redis-replica", "redis-sentinel-1", "redis-sentinel-2", "redis-sentinel-3"]), IClassFixture<SentinelAppHost>;

public sealed class ClusterAppHost : ProxyApp
{
    protected override string RedisMode => "cluster";
}

public sealed class SentinelAppHost : ProxyApp
{
    protected override string RedisMode => "sentinel";
}
