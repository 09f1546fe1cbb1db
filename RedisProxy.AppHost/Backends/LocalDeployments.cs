using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RedisProxy.TestSupport;

namespace Aspire.Hosting.Backends;

/// <summary>
/// Distributed Redis from Debian's redis-server and redis-sentinel, every node a resource in the dashboard: a Cluster of
/// three primaries and three replicas, or a Sentinel deployment (primary, replica, three sentinels). Each node has a
/// fixed loopback port that Aspire does not proxy, since nodes tell clients their own addresses (MOVED, CLUSTER NODES,
/// SENTINEL MASTER), and keeps its files in a fresh temporary folder, removed when the app model stops.
/// </summary>
internal static class LocalDeployments
{
    public const string SentinelServiceName = "mymaster";

    public static IResourceBuilder<IResourceWithConnectionString> AddRedisClusterBackend(this IDistributedApplicationBuilder builder, string name)
    {
        // Each node's bus port is probed free with the others, not left at port + 10000, where any socket may sit.
        var probed = FreePorts.Take(12);
        var (ports, busPorts) = (probed[..6], probed[6..]);
        var directory = builder.CreateTemporaryFolder("redisproxy-cluster-");
        var nodes = ports.Select((port, i) => builder.AddRedisNode($"{name}-node-{i + 1}", "redis-server", port, Path.Combine(directory, Text(port)),
            ["--cluster-enabled", "yes", "--cluster-port", Text(busPorts[i]), "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"])).ToList();

        var create = builder.AddExecutable($"{name}-cluster-create", "redis-cli", directory,
            ["--cluster", "create", .. ports.Select(EndPoint), "--cluster-replicas", "1", "--cluster-yes"]);
        foreach (var node in nodes)
        {
            create.WaitFor(node);
        }

        return builder.AddConnectionString(name, ReferenceExpression.Create($"{string.Join(',', ports.Select(EndPoint))}"))
            .WaitForCompletion(create);
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddRedisSentinelBackend(this IDistributedApplicationBuilder builder, string name)
    {
        var ports = FreePorts.Take(5);
        var directory = builder.CreateTemporaryFolder("redisproxy-sentinel-");
        var primary = builder.AddRedisNode($"{name}-primary", "redis-server", ports[0], Path.Combine(directory, "primary"), []);
        var replica = builder.AddRedisNode($"{name}-replica", "redis-server", ports[1], Path.Combine(directory, "replica"), ["--replicaof", "127.0.0.1", Text(ports[0])])
            .WaitFor(primary);
        var sentinels = ports[2..].Select((port, i) =>
        {
            var folder = Path.Combine(directory, $"sentinel-{i + 1}");
            Directory.CreateDirectory(folder);
            // Each sentinel rewrites its own file with what it learns.
            var config = Path.Combine(folder, "sentinel.conf");
            File.WriteAllText(config, string.Join('\n',
                $"port {Text(port)}",
                "bind 127.0.0.1",
                $"sentinel monitor {SentinelServiceName} 127.0.0.1 {Text(ports[0])} 2",
                $"sentinel down-after-milliseconds {SentinelServiceName} 1000",
                $"sentinel failover-timeout {SentinelServiceName} 5000") + "\n");
            return builder.AddRedisNode($"{name}-sentinel-{i + 1}", "redis-sentinel", port, folder, [config], redisServerArguments: false)
                .WaitFor(primary).WaitFor(replica);
        }).ToList();

        var connectionString = builder.AddConnectionString(name, ReferenceExpression.Create(
            $"{string.Join(',', ports[2..].Select(EndPoint))},serviceName={SentinelServiceName}"));
        foreach (var sentinel in sentinels)
        {
            connectionString.WaitFor(sentinel);
        }

        return connectionString;
    }

    /// <summary>A new folder under the temporary directory, deleted once the app has stopped (and its nodes with it).</summary>
    private static string CreateTemporaryFolder(this IDistributedApplicationBuilder builder, string prefix)
    {
        var directory = Directory.CreateTempSubdirectory(prefix).FullName;
        builder.Eventing.Subscribe<BeforeStartEvent>((started, _) =>
        {
            started.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() =>
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A node still writing as it exits; a folder left in the temporary directory harms nothing.
                }
            });
            return Task.CompletedTask;
        });
        return directory;
    }

    private static IResourceBuilder<ExecutableResource> AddRedisNode(
        this IDistributedApplicationBuilder builder, string name, string program, int port, string folder, string[] arguments, bool redisServerArguments = true)
    {
        Directory.CreateDirectory(folder);
        string[] common = redisServerArguments
            ? ["--port", Text(port), "--bind", "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0"]
            : [];
        var node = builder.AddExecutable(name, program, folder, [.. common, .. arguments])
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false);
        return node.WithRedisPingHealthCheck(node.GetEndpoint("tcp"));
    }

    private static string EndPoint(int port) => $"127.0.0.1:{Text(port)}";

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
