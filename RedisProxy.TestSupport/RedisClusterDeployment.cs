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
        // Each node's bus port is probed free with the others, not left at port + 10000, where any socket may sit.
        var ports = FreePorts.Take(12);
        var directory = Directory.CreateTempSubdirectory("redisproxy-cluster-").FullName;
        var nodes = await Task.WhenAll(ports[..6].Zip(ports[6..]).Select(pair =>
        {
            var (port, busPort) = pair;
            var folder = Path.Combine(directory, port.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            return LocalProcess.StartAsync("redis-server",
                port, "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "no",
                "--cluster-enabled", "yes", "--cluster-port", busPort.ToString(CultureInfo.InvariantCulture), "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000", "--repl-diskless-sync-delay", "0");
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

    /// <summary>The nodes as <paramref name="asked"/> sees them (CLUSTER NODES).</summary>
    public static async Task<IReadOnlyList<ClusterNodeView>> NodesAsync(LocalProcess asked)
    {
        var lines = (await CliAsync(asked, "CLUSTER", "NODES")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. lines.Select(ClusterNodeView.Parse)];
    }

    /// <summary>A running primary and one of its replicas.</summary>
    public async Task<(LocalProcess Primary, LocalProcess Replica)> PrimaryWithReplicaAsync()
    {
        var views = await NodesAsync(Nodes.First(node => node.IsRunning));
        var primary = views.First(view => view.ServesSlots && !view.IsFailed);
        var replica = views.First(view => view.PrimaryId == primary.Id && !view.IsFailed);
        return (Nodes.Single(node => node.Port == primary.Port), Nodes.Single(node => node.Port == replica.Port));
    }

    /// <summary>Waits until every running node sees <paramref name="node"/> as a primary and the cluster is whole.</summary>
    public async Task WaitUntilPrimaryAsync(LocalProcess node, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var asked in Nodes.Where(n => n.IsRunning))
        {
            while (!(await NodesAsync(asked)).Any(view => view.Port == node.Port && view.ServesSlots))
            {
                if (DateTime.UtcNow > deadline)
                {
                    var seen = await CliAsync(asked, "CLUSTER", "NODES");
                    throw new TimeoutException($"{node.EndPoint} did not become a primary within {timeout}; {asked.EndPoint} sees:\n{seen}");
                }

                await Task.Delay(50);
            }
        }

        await WaitUntilHealthyAsync(deadline - DateTime.UtcNow);
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

    /// <summary>
    /// Waits until every replica among <paramref name="nodes"/> has its primary's data: one that never synchronised
    /// refuses to take over from a failed primary ("disconnected from master for longer than allowed").
    /// </summary>
    public static async Task WaitUntilReplicasInSyncAsync(IEnumerable<LocalProcess> nodes, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var node in nodes)
        {
            while (await CliAsync(node, "INFO", "replication") is var info
                && info.Contains("role:slave", StringComparison.Ordinal) && !info.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The replica {node.EndPoint} did not synchronise within {timeout}.");
                }

                await Task.Delay(50);
            }
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
        await WaitUntilRolesKnownAsync(TimeSpan.FromSeconds(30));
        await WaitUntilReplicasInSyncAsync(Nodes, TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Waits until every node sees three primaries serving slots and three replicas: right after creation a node may
    /// still list a new replica as a primary without slots, until gossip tells it otherwise.
    /// </summary>
    private async Task WaitUntilRolesKnownAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var asked in Nodes)
        {
            while (await NodesAsync(asked) is var views
                && (views.Count(view => view.ServesSlots) != 3 || views.Count(view => view.PrimaryId is not null) != 3))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{asked.EndPoint} did not learn every node's role within {timeout}:\n{string.Join('\n', views)}");
                }

                await Task.Delay(50);
            }
        }
    }
}

/// <summary>One line of CLUSTER NODES: "id ip:port@bus flags primary-id ping pong epoch link slot...".</summary>
public sealed record ClusterNodeView(string Id, int Port, bool IsPrimary, bool IsFailed, string? PrimaryId, bool HasSlots)
{
    /// <summary>A primary that holds slots: one listed as a primary without any is not serving keys.</summary>
    public bool ServesSlots => IsPrimary && HasSlots;

    public static ClusterNodeView Parse(string line)
    {
        var fields = line.Split(' ');
        var address = fields[1].Split('@')[0];
        var flags = fields[2].Split(',');
        return new ClusterNodeView(
            fields[0],
            int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture),
            flags.Contains("master"),
            flags.Contains("fail"),
            fields[3] == "-" ? null : fields[3],
            fields.Length > 8);
    }
}
