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

        // Seen in CI runs: a replica reported healthy whose own port (once the key port, once the management port)
        // still refused connections. Wait until both of each one's ports accept before handing it out.
        foreach (var port in replicas.Values.SelectMany(ports => new[] { ports.Http, ports.Management }))
        {
            await Eventually.MatchesAsync(() => AcceptsAsync(port), accepts => accepts, timeout, $"replica port {port} to accept");
        }

        return [.. replicas.Values.Select(ports => new ProxyClient(Loopback(ports.Http), Loopback(ports.Management)))];
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static int? Port(CustomResourceSnapshot snapshot, string variable) =>
        snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == variable)?.Value is { } text
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null;

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}");
}
