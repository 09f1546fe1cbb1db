using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Configuration;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend.Pinned;

/// <summary>
/// The backend connections clients may hold for themselves (MAX_PINNED_CONNECTIONS at once): a transaction from
/// WATCH or MULTI to its end, a subscriber, a blocking command. They are opened when none is idle, returned clean and
/// reused, never opened per transaction; a client that finds all of them lent gets a refusal at once, not a wait.
/// They go to the primary the shared connection knows (on a Redis Cluster, the one owning the command's key).
/// </summary>
internal sealed class PinnedConnectionPool : IAsyncDisposable
{
    private readonly BackendConnections _connections;
    private readonly ConfigurationOptions _options;
    private readonly int _limit;
    private readonly TimeSpan _connectTimeout;
    private readonly ConcurrentBag<PinnedConnection> _idle = [];
    private readonly ConcurrentDictionary<PinnedConnection, bool> _lentOut = new();
    private int _lent;
    private long _opened;
    private long _refused;

    public PinnedConnectionPool(BackendConnections connections, IConfiguration configuration, IOptions<ProxyOptions> options)
    {
        _connections = connections;
        _options = BackendConnection.CreateOptions(configuration, options.Value);
        _limit = options.Value.MaxPinnedConnections;
        _connectTimeout = options.Value.BackendTimeout;
    }

    /// <summary>Connections lent to clients now.</summary>
    public int InUse => Volatile.Read(ref _lent);

    /// <summary>Connections opened since start (lending an idle one opens none).</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Clients refused since start because every connection was lent.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public int Limit => _limit;

    /// <summary>
    /// A connection in <paramref name="protocol"/> and <paramref name="database"/>, to the primary of
    /// <paramref name="routingKey"/> when there is one; null when MAX_PINNED_CONNECTIONS are lent already.
    /// </summary>
    public async Task<PinnedConnection?> RentAsync(RedisProtocol protocol, int database, RedisKey? routingKey, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _lent) > _limit)
        {
            Interlocked.Decrement(ref _lent);
            Interlocked.Increment(ref _refused);
            return null;
        }

        try
        {
            var endPoint = PrimaryFor(routingKey);
            var connection = TakeIdle(endPoint, protocol) ?? await OpenAsync(endPoint, protocol, cancellationToken);
            await connection.SelectAsync(database, cancellationToken);
            _lentOut[connection] = true;
            return connection;
        }
        catch
        {
            Interlocked.Decrement(ref _lent);
            throw;
        }
    }

    /// <summary>Takes back a connection left as it was lent (no transaction, watch or subscription open), for the next client.</summary>
    public void Return(PinnedConnection connection)
    {
        Interlocked.Decrement(ref _lent);
        if (!_lentOut.TryRemove(connection, out _))
        {
            // Closed by CloseAll while it was lent.
            return;
        }

        if (_idle.Count < _limit)
        {
            _idle.Add(connection);
        }
        else
        {
            _ = connection.DisposeAsync().AsTask();
        }
    }

    /// <summary>Takes back a connection in an unknown state (a client gone mid-command, a backend failure): it is closed, which also discards whatever Redis held for it.</summary>
    public async ValueTask DiscardAsync(PinnedConnection connection)
    {
        Interlocked.Decrement(ref _lent);
        _lentOut.TryRemove(connection, out _);
        await connection.DisposeAsync();
    }

    /// <summary>
    /// Closes every connection, idle and lent (the primary moved): their clients' transactions fail and their
    /// subscribers reconnect, rather than go on against a server that is no longer the primary.
    /// </summary>
    public async Task CloseAllAsync()
    {
        while (_idle.TryTake(out var idle))
        {
            await idle.DisposeAsync();
        }

        foreach (var lent in _lentOut.Keys)
        {
            if (_lentOut.TryRemove(lent, out _))
            {
                await lent.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }
    }

    private PinnedConnection? TakeIdle(EndPoint endPoint, RedisProtocol protocol)
    {
        var passedOver = new List<PinnedConnection>();
        try
        {
            while (_idle.TryTake(out var connection))
            {
                if (connection.Protocol == protocol && connection.EndPoint.Equals(endPoint))
                {
                    return connection;
                }

                passedOver.Add(connection);
            }

            return null;
        }
        finally
        {
            foreach (var other in passedOver)
            {
                _idle.Add(other);
            }
        }
    }

    private async Task<PinnedConnection> OpenAsync(EndPoint endPoint, RedisProtocol protocol, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_connectTimeout);
        var connection = await PinnedConnection.OpenAsync(endPoint, protocol, _options, PinnedConnection.LentClientName, timeout.Token);
        Interlocked.Increment(ref _opened);
        return connection;
    }

    /// <summary>The primary the shared connection knows: the key's on a Redis Cluster, else the one primary.</summary>
    private EndPoint PrimaryFor(RedisKey? routingKey)
    {
        var redis = _connections.Shared;
        if (routingKey is { } key && redis.GetServers().Any(server => server.ServerType == ServerType.Cluster))
        {
            // Found from the client library's map of the cluster's slots, without asking the server.
            return redis.GetServer(key).EndPoint;
        }

        return _connections.Primary();
    }
}
