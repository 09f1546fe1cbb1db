using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Operations;

/// <summary>The AppHost with two proxy replicas over one redis-server, keeping their caches coherent by tracking.</summary>
public sealed class ReplicatedProxyApp : ProxyApp
{
    public const int ReplicaCount = 2;

    protected override IEnumerable<string> AppHostArguments =>
        [$"--Parameters:api-replicas={ReplicaCount}", "--Parameters:cache-invalidation=tracking"];

    /// <summary>
    /// Each running replica addressed directly: the ports it listens on are the ones the AppHost handed it in
    /// PROXY_PORT and PROXY_MANAGEMENT_PORT, as its resource snapshot shows. The shared endpoints balance between them.
    /// </summary>
    public async Task<IReadOnlyList<ProxyClient>> ReplicasAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var replicas = new Dictionary<string, (int Http, int Management)>();
        await foreach (var update in App.ResourceNotifications.WatchAsync(cancel.Token))
        {
            if (update.Resource.Name == "api" && update.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                && Port(update.Snapshot, "PROXY_PORT") is { } http && Port(update.Snapshot, "PROXY_MANAGEMENT_PORT") is { } management)
            {
                replicas[update.ResourceId] = (http, management);
                if (replicas.Count == ReplicaCount)
                {
                    break;
                }
            }
        }

        return [.. replicas.Values.Select(ports => new ProxyClient(Loopback(ports.Http), Loopback(ports.Management)))];
    }

    private static int? Port(CustomResourceSnapshot snapshot, string variable) =>
        snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == variable)?.Value is { } text
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null;

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}");
}
