using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace RedisProxy.TestSupport;

/// <summary>
/// A Redis Cluster of three primaries and three replicas from Debian's redis-server, on free loopback ports, each node in
/// a folder of its own; a killed primary fails over in about four seconds (cluster-node-timeout 2000 ms).
/// </summary>
public sealed class RedisClusterDeployment : IAsyncDisposable
{
    private readonly string _directory;

    private RedisClusterDeployment(IReadOnlyList<LocalProcess> nodes, string directory)
    {
        Nodes = nodes;
        _directory = directory;
    }

    public IReadOnlyList<LocalProcess> Nodes { get; }

    /// <summary>Every node, as a client's connection string lists them.</summary>
    public string ConnectionString => string.Join(',', Nodes.Select(node => node.EndPoint));

    public static async Task<RedisClusterDeployment> StartAsync()
    {
        var ports = FreePorts.Take(6);
        var directory = Directory.CreateTempSubdirectory("redisproxy-cluster-").FullName;
        var nodes = await Task.WhenAll(ports.Select(port =>
        {
            var folder = Path.Combine(directory, port.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            return LocalProcess.StartAsync("redis-server",
                port, "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "no",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000");
        }));
        var cluster = new RedisClusterDeployment(nodes, directory);
        await cluster.CreateAsync();
        return cluster;
    }

    /// <summary>The cluster as a client library sees it.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync(ConfigurationOptions.Parse($"{ConnectionString},allowAdmin=true,connectTimeout=5000"));

    /// <summary>Waits until every running node says the cluster is whole: all slots served, every node known.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var healthy = true;
            foreach (var node in Nodes.Where(n => n.IsRunning))
            {
                var info = await CliAsync(node, "CLUSTER", "INFO");
                healthy &= info.Contains("cluster_state:ok", StringComparison.Ordinal) && info.Contains("cluster_slots_ok:16384", StringComparison.Ordinal);
            }

            if (healthy)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The cluster did not become healthy within {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A folder left behind in the temporary directory harms nothing.
        }
    }

    /// <summary>Runs redis-cli against one node and returns what it printed.</summary>
    public static async Task<string> CliAsync(LocalProcess node, params string[] arguments)
    {
        using var cli = Process.Start(new ProcessStartInfo("redis-cli", ["-p", node.Port.ToString(CultureInfo.InvariantCulture), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-cli did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = await cli.StandardOutput.ReadToEndAsync(timeout.Token);
        await cli.WaitForExitAsync(timeout.Token);
        return output;
    }

    private async Task CreateAsync()
    {
        var output = await CliAsync(Nodes[0], ["--cluster", "create", .. Nodes.Select(n => n.EndPoint), "--cluster-replicas", "1", "--cluster-yes"]);
        if (!output.Contains("All 16384 slots covered", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed: {output}");
        }

        await WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
    }
}
