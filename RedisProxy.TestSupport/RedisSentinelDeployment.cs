using System.Globalization;
using StackExchange.Redis;

namespace RedisProxy.TestSupport;

/// <summary>
/// A Sentinel deployment from Debian's redis-server and redis-sentinel, on free loopback ports: a primary, a replica of
/// it, and three sentinels (quorum 2) watching them as <see cref="ServiceName"/>; a primary down for a second is failed
/// over. Each sentinel rewrites a config file of its own.
/// </summary>
public sealed class RedisSentinelDeployment : IAsyncDisposable
{
    public const string ServiceName = "mymaster";

    private readonly string _directory;

    private RedisSentinelDeployment(LocalProcess primary, LocalProcess replica, IReadOnlyList<LocalProcess> sentinels, string directory)
    {
        Servers = [primary, replica];
        Sentinels = sentinels;
        _directory = directory;
    }

    /// <summary>The two data nodes: the first primary, then its replica (which is which changes with failovers).</summary>
    public IReadOnlyList<LocalProcess> Servers { get; }

    public IReadOnlyList<LocalProcess> Sentinels { get; }

    /// <summary>The sentinels and the service, as a client's connection string names them.</summary>
    public string ConnectionString => string.Join(',', Sentinels.Select(s => s.EndPoint)) + $",serviceName={ServiceName}";

    public static async Task<RedisSentinelDeployment> StartAsync()
    {
        var ports = FreePorts.Take(5);
        var directory = Directory.CreateTempSubdirectory("redisproxy-sentinel-").FullName;
        var primary = await LocalProcess.StartAsync("redis-server", ports[0], DataArguments(ports[0]));
        var replica = await LocalProcess.StartAsync("redis-server", ports[1], [.. DataArguments(ports[1]), "--replicaof", "127.0.0.1", Text(ports[0])]);
        var sentinels = await Task.WhenAll(ports[2..].Select(port =>
        {
            var config = Path.Combine(directory, $"sentinel-{Text(port)}.conf");
            File.WriteAllText(config, string.Join('\n',
                $"port {Text(port)}",
                "bind 127.0.0.1",
                $"dir {directory}",
                $"sentinel monitor {ServiceName} 127.0.0.1 {Text(ports[0])} 2",
                $"sentinel down-after-milliseconds {ServiceName} 1000",
                $"sentinel failover-timeout {ServiceName} 5000",
                $"sentinel parallel-syncs {ServiceName} 1") + "\n");
            return LocalProcess.StartAsync("redis-sentinel", port, config);
        }));
        var deployment = new RedisSentinelDeployment(primary, replica, sentinels, directory);
        await deployment.WaitUntilWatchedAsync(TimeSpan.FromSeconds(30));
        await RedisClusterDeployment.WaitUntilReplicasInSyncAsync(deployment.Servers, TimeSpan.FromSeconds(30));
        return deployment;
    }

    /// <summary>The primary the sentinels name now.</summary>
    public async Task<int> PrimaryPortAsync()
    {
        var reply = await RedisClusterDeployment.CliAsync(Sentinels[0], "SENTINEL", "get-master-addr-by-name", ServiceName);
        return int.Parse(reply.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until every sentinel sees the primary, its replica and the two other sentinels.</summary>
    public async Task WaitUntilWatchedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var ready = true;
            foreach (var sentinel in Sentinels)
            {
                var master = (await RedisClusterDeployment.CliAsync(sentinel, "SENTINEL", "master", ServiceName)).Split('\n');
                ready &= Field(master, "num-slaves") == "1" && Field(master, "num-other-sentinels") == "2" && Field(master, "flags") == "master";
            }

            if (ready)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The sentinels did not all watch {ServiceName} within {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A direct connection to one data node, bypassing the sentinels.</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync(int port) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { $"127.0.0.1:{Text(port)}" }, AllowAdmin = true });

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Sentinels.Concat(Servers))
        {
            await process.DisposeAsync();
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

    private static string[] DataArguments(int port) =>
        ["--port", Text(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0"];

    private static string? Field(string[] lines, string name)
    {
        var index = Array.IndexOf(lines, name);
        return index >= 0 && index + 1 < lines.Length ? lines[index + 1] : null;
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
