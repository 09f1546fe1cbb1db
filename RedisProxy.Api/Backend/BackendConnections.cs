using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Configuration;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// The proxy's connections to the backend, one per protocol: RESP2 (the shared connection) and RESP3. A forwarded
/// reply goes back to the client byte for byte, so it must come in the protocol the client speaks.
/// <para>
/// On a Sentinel deployment they are connections to the primary the sentinels name, replaced the moment a switch is
/// announced (<see cref="SentinelWatcher"/>): the client library alone keeps writing to the old primary until it is
/// demoted, up to ten seconds, and those writes are lost. From the moment a switch begins, only the new connections'
/// replies count (<see cref="IsServing"/>), so a command answered by the old primary is failed rather than
/// acknowledged; each switch raises <see cref="PrimaryChanged"/>.
/// </para>
/// </summary>
internal sealed partial class BackendConnections : IAsyncDisposable
{
    /// <summary>How long a replaced connection stays open for the commands still on it.</summary>
    private static readonly TimeSpan RetireAfter = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan TakeoverCheckInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a lost cluster primary's slots are watched for a takeover; past that, only its return counts.</summary>
    private static readonly TimeSpan TakeoverWatch = TimeSpan.FromMinutes(5);

    private readonly ConfigurationOptions _configured;
    private readonly SentinelWatcher? _sentinels;
    private readonly SemaphoreSlim _switching = new(1, 1);
    private readonly ILogger<BackendConnections> _logger;
    private volatile Generation _current;
    private volatile bool _switchInProgress;

    /// <summary>A primary the sentinels announced that the connections have not moved to yet; null when none.</summary>
    private volatile EndPoint? _announced;

    /// <summary>Whether a primary's connection was lost and no primary has been reached since.</summary>
    private volatile bool _primaryLost;

    public BackendConnections(IConnectionMultiplexer resp2, IConfiguration configuration, IOptions<ProxyOptions> options, ILogger<BackendConnections> logger)
    {
        _logger = logger;
        _configured = BackendConnection.CreateOptions(configuration, options.Value);
        // The host's connection was pinned to the primary the sentinels named at start-up (SentinelPrimary).
        var pinned = !string.IsNullOrEmpty(_configured.ServiceName) && resp2.GetEndPoints() is [var only] ? only : null;
        var resp3Options = _configured.Clone();
        resp3Options.Protocol = RedisProtocol.Resp3;
        if (pinned is not null)
        {
            BackendConnection.PointAt(resp3Options, pinned);
        }

        // Like the shared connection it keeps retrying in the background while the backend is down.
        _current = new Generation(resp2, ConnectionMultiplexer.ConnectAsync(resp3Options), pinned, Owned: false, new CancellationTokenSource());
        Watch(resp2);
        if (!string.IsNullOrEmpty(_configured.ServiceName))
        {
            _sentinels = new SentinelWatcher(_configured, BeginSwitch, SwitchAsync);
            _ = StartWatchingAsync(_sentinels);
        }
    }

    /// <summary>Raised once the connections point at a new primary (Sentinel); the cache and pinned connections must follow.</summary>
    public event Action<EndPoint>? PrimaryChanged;

    /// <summary>
    /// Raised when the shared connection reaches a primary again after losing one (the same one back, or a node that
    /// took over its slots): what the lost primary acknowledged but had not yet replicated may be gone, so nothing
    /// learnt before can be trusted. While none is reached, what was learnt is still the best there is.
    /// </summary>
    public event Action? PrimaryRecovered;

    /// <summary>The shared connection lost a connection to a server (whichever primary it is now).</summary>
    public event EventHandler<ConnectionFailedEventArgs>? ConnectionFailed;

    /// <summary>The shared connection got a connection back.</summary>
    public event EventHandler<ConnectionFailedEventArgs>? ConnectionRestored;

    /// <summary>Whether the primary is the one the sentinels name (not whatever the client library picked).</summary>
    public bool FollowsSentinels => _sentinels is not null;

    /// <summary>The shared RESP2 connection, which everything but RESP3 forwarding uses.</summary>
    public IConnectionMultiplexer Shared => _current.Resp2;

    /// <summary>The connection of <paramref name="protocol"/>; in the first moments after start-up the RESP3 one may still be on its way.</summary>
    public IConnectionMultiplexer For(RedisProtocol protocol) => protocol == RedisProtocol.Resp3 ? _current.Resp3.GetAwaiter().GetResult() : _current.Resp2;

    /// <summary>
    /// Whether replies on <paramref name="connection"/> may be passed on: always, unless following sentinels, where
    /// only the current primary's connections count, and none while a switch is under way.
    /// </summary>
    public bool IsServing(IConnectionMultiplexer connection)
    {
        if (_sentinels is null)
        {
            return true;
        }

        return !_switchInProgress && _announced is null && IsOf(_current, connection);
    }

    /// <summary>
    /// The command's reply, unless a switch of primary begins first: the old primary's connections may stall (the
    /// sentinels kill its clients, the client library queues commands while it reconnects), and nothing they answer
    /// would be passed on anyway, so the command fails at once instead of when it times out.
    /// </summary>
    public Task<T> UntilReplaced<T>(Task<T> command, IConnectionMultiplexer connection)
    {
        if (_sentinels is null || command.IsCompleted)
        {
            return command;
        }

        var current = _current;
        return command.WaitAsync(IsOf(current, connection) ? current.Replaced.Token : new CancellationToken(canceled: true));
    }

    private static bool IsOf(Generation generation, IConnectionMultiplexer connection) =>
        ReferenceEquals(connection, generation.Resp2)
        || (generation.Resp3.IsCompletedSuccessfully && ReferenceEquals(connection, generation.Resp3.Result));

    /// <summary>
    /// The primary off a cluster: the one the sentinels name, else the connected primary the shared connection uses,
    /// else the first endpoint configured.
    /// </summary>
    public EndPoint Primary()
    {
        var current = _current;
        return current.Primary
            ?? current.Resp2.GetServers().FirstOrDefault(server => server.IsConnected && !server.IsReplica && server.ServerType != ServerType.Sentinel)?.EndPoint
            ?? current.Resp2.GetEndPoints().First();
    }

    /// <summary>Options for a connection of the proxy's own to the backend: the current primary's, when following sentinels.</summary>
    public ConfigurationOptions OptionsForPrimary()
    {
        var options = _configured.Clone();
        if (_current.Primary is { } primary)
        {
            BackendConnection.PointAt(options, primary);
        }

        return options;
    }

    /// <summary>Asks the sentinels for the primary now, and follows it (after a READONLY reply: the primary may have moved).</summary>
    public async Task<bool> RefreshPrimaryAsync() => _sentinels is not null && await _sentinels.RefreshAsync();

    public async ValueTask DisposeAsync()
    {
        if (_sentinels is not null)
        {
            await _sentinels.DisposeAsync();
        }

        var current = _current;
        await (await current.Resp3).DisposeAsync();
        if (current.Owned)
        {
            await current.Resp2.DisposeAsync();
        }

        current.Replaced.Dispose();
        _switching.Dispose();
    }

    private async Task StartWatchingAsync(SentinelWatcher sentinels)
    {
        try
        {
            await sentinels.StartAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogNotWatching(_logger, e.Message);
        }
    }

    /// <summary>
    /// A switch to <paramref name="primary"/> was announced: from now until <see cref="SwitchAsync"/> has moved the
    /// connections there, no reply is passed on, since the old primary may be taking writes the new one will never
    /// hold. A switch elsewhere meanwhile (an older view of the sentinels) does not end this.
    /// </summary>
    private void BeginSwitch(EndPoint primary)
    {
        if (!primary.Equals(_current.Primary))
        {
            _announced = primary;
        }
    }

    /// <summary>The connections are at <paramref name="primary"/>: an announcement of it is carried out.</summary>
    private void Arrived(EndPoint? primary)
    {
        if (primary is not null && primary.Equals(_announced))
        {
            _announced = null;
        }
    }

    /// <summary>Points the connections at <paramref name="primary"/> unless they are there already; true when they moved.</summary>
    private async Task<bool> SwitchAsync(EndPoint primary)
    {
        if (primary.Equals(_current.Primary))
        {
            Arrived(primary);
            return false;
        }

        await _switching.WaitAsync();
        try
        {
            var old = _current;
            if (primary.Equals(old.Primary))
            {
                Arrived(primary);
                return false;
            }

            var started = Stopwatch.GetTimestamp();
            _switchInProgress = true;
            await old.Replaced.CancelAsync();
            var resp2Options = _configured.Clone();
            BackendConnection.PointAt(resp2Options, primary);
            var resp3Options = resp2Options.Clone();
            resp3Options.Protocol = RedisProtocol.Resp3;
            var resp2 = await ConnectionMultiplexer.ConnectAsync(resp2Options);
            Watch(resp2);
            _current = new Generation(resp2, ConnectionMultiplexer.ConnectAsync(resp3Options), primary, Owned: true, new CancellationTokenSource());
            // The watcher only moves to its newest view: whatever was announced before is settled by this.
            _announced = null;
            var where = BackendEndPoints.HostAndPort(primary);
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogSwitched(_logger, where, milliseconds);
            PrimaryChanged?.Invoke(primary);
            _ = RetireAsync(old);
            return true;
        }
        finally
        {
            _switchInProgress = false;
            _switching.Release();
        }
    }

    /// <summary>Relays the connection events of <paramref name="redis"/> while it is the shared connection.</summary>
    private void Watch(IConnectionMultiplexer redis)
    {
        redis.ConnectionFailed += (sender, e) =>
        {
            if (!ReferenceEquals(redis, _current.Resp2))
            {
                return;
            }

            ConnectionFailed?.Invoke(sender, e);
            if (e.ConnectionType == ConnectionType.Interactive && e.EndPoint is { } endPoint && redis.GetServer(endPoint) is { IsReplica: false } server)
            {
                _primaryLost = true;
                if (server.ServerType == ServerType.Cluster)
                {
                    _ = AwaitTakeoverAsync(redis, endPoint);
                }
            }
        };
        redis.ConnectionRestored += (sender, e) =>
        {
            if (ReferenceEquals(redis, _current.Resp2))
            {
                ConnectionRestored?.Invoke(sender, e);
                Recovered();
            }
        };
        redis.HashSlotMoved += (_, _) => Recovered();
    }

    /// <summary>
    /// A cluster moves a lost primary's slots to one of its replicas, which was connected all along, so no connection
    /// is restored: the cluster's own view is watched until the lost node serves no slots (or comes back).
    /// </summary>
    private async Task AwaitTakeoverAsync(IConnectionMultiplexer redis, EndPoint lost)
    {
        var started = Stopwatch.GetTimestamp();
        while (_primaryLost && ReferenceEquals(redis, _current.Resp2) && Stopwatch.GetElapsedTime(started) < TakeoverWatch)
        {
            await Task.Delay(TakeoverCheckInterval);
            if (redis.GetServers().FirstOrDefault(server => server.IsConnected && !server.EndPoint.Equals(lost)) is not { } asked)
            {
                continue;
            }

            try
            {
                var nodes = await asked.ClusterNodesAsync();
                if (nodes is not null && !ClusterSlots.PrimariesServingSlots(nodes).Any(node => lost.Equals(node.EndPoint)))
                {
                    Recovered();
                    return;
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Asked again at the next interval.
            }
        }
    }

    private void Recovered()
    {
        if (_primaryLost)
        {
            _primaryLost = false;
            LogRecovered(_logger);
            PrimaryRecovered?.Invoke();
        }
    }

    /// <summary>Closes a replaced generation once the commands still on it have had time to end.</summary>
    private static async Task RetireAsync(Generation old)
    {
        await Task.Delay(RetireAfter);
        old.Replaced.Dispose();
        await (await old.Resp3).DisposeAsync();
        if (old.Owned)
        {
            await old.Resp2.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backend primary is now {Primary} (named by the sentinels); connected in {Milliseconds} ms")]
    private static partial void LogSwitched(ILogger logger, string primary, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "A primary serves again after one was lost; the cache is emptied, as the lost one's last writes may be gone")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not watch the sentinels ({Problem}); following the client library's choice of primary")]
    private static partial void LogNotWatching(ILogger logger, string problem);

    /// <summary>The connections of one primary. The first generation's RESP2 connection is the host's and is not closed here.</summary>
    private sealed record Generation(IConnectionMultiplexer Resp2, Task<ConnectionMultiplexer> Resp3, EndPoint? Primary, bool Owned, CancellationTokenSource Replaced);
}
