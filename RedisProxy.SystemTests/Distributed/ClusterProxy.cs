using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>A Redis Cluster (3 primaries, 3 replicas) of the test's own, and the API started standalone over it.</summary>
public class ClusterProxy : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private RedisClusterDeployment? _cluster;
    private ApiProcess? _api;

    public RedisClusterDeployment Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public ApiProcess Api => _api ?? throw new InvalidOperationException("Not started.");

    /// <summary>Settings for the API beyond the backend.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        _cluster = await RedisClusterDeployment.StartAsync();
        _api = ApiProcess.Start(new Dictionary<string, string>(Settings) { ["ConnectionStrings__redis"] = _cluster.ConnectionString });
        await _api.WaitUntilServingAsync(StartTimeout);
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
