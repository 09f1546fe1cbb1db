using System.Globalization;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Operations;

/// <summary>
/// One redis-server and several standalone proxies over it, as replicas behind a load balancer would run; each
/// proxy chooses its own CACHE_INVALIDATION. Tests write to Redis directly through <see cref="Backend"/>.
/// </summary>
public sealed class TrackedProxies : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly RedisServerProcess _redis = new();
    private readonly List<ApiProcess> _processes = [];
    private readonly List<ProxyClient> _clients = [];
    private ConnectionMultiplexer? _backend;

    public IDatabase Backend => _backend!.GetDatabase();

    public IServer BackendServer => _backend!.GetServers()[0];

    public IReadOnlyList<ProxyClient> Proxies => _clients;

    /// <summary>Starts the server and one proxy per entry of <paramref name="invalidationModes"/>.</summary>
    public static async Task<TrackedProxies> StartAsync(params string[] invalidationModes)
    {
        var proxies = new TrackedProxies();
        await proxies._redis.StartAsync();
        proxies._backend = await ConnectionMultiplexer.ConnectAsync($"{proxies._redis.ConnectionString},allowAdmin=true");
        foreach (var mode in invalidationModes)
        {
            proxies._processes.Add(ApiProcess.Start(new Dictionary<string, string>
            {
                ["REDIS_SERVER_IP"] = "127.0.0.1",
                ["REDIS_SERVER_PORT"] = proxies._redis.Port.ToString(CultureInfo.InvariantCulture),
                ["CACHE_INVALIDATION"] = mode,
            }));
        }

        foreach (var api in proxies._processes)
        {
            await api.WaitUntilServingAsync(StartTimeout);
            proxies._clients.Add(ProxyClient.For(api));
        }

        return proxies;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var api in _processes)
        {
            await api.DisposeAsync();
        }

        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }
}
