using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>
/// Two proxies started standalone over one deployment, as replicas of a service would be: the first keeps its cache
/// coherent by tracking (CACHE_INVALIDATION=tracking), the second does not, so a failover is seen with and without.
/// </summary>
internal sealed class ProxiesOver : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ProxiesOver(ApiProcess tracking, ApiProcess untracked) => All = [tracking, untracked];

    public IReadOnlyList<ApiProcess> All { get; }

    public ApiProcess Tracking => All[0];

    public ApiProcess Untracked => All[1];

    public static async Task<ProxiesOver> StartAsync(string connectionString)
    {
        var tracking = ApiProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = connectionString,
            ["CACHE_INVALIDATION"] = "tracking",
        });
        var untracked = ApiProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = connectionString,
        });
        var proxies = new ProxiesOver(tracking, untracked);
        try
        {
            await Task.WhenAll(proxies.All.Select(proxy => proxy.WaitUntilServingAsync(StartTimeout)));
            using var client = Operations.ProxyClient.For(tracking);
            await client.WaitUntilInvalidationActiveAsync(StartTimeout);
            return proxies;
        }
        catch
        {
            await proxies.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in All)
        {
            await proxy.DisposeAsync();
        }
    }
}
