using System.Globalization;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Core;
using StackExchange.Redis;

namespace RedisProxy.Api.Invalidation;

/// <summary>
/// Keeps the local cache coherent with Redis (CACHE_INVALIDATION=tracking) through Redis client-side caching in
/// broadcast mode: a dedicated RESP2 connection runs <c>CLIENT TRACKING ON BCAST REDIRECT</c> to its own subscriber
/// connection, so Redis publishes every written key on <c>__redis__:invalidate</c> and each one is dropped here.
/// Whenever the channel cannot be trusted (a connection failed, tracking was lost or refused) the cache is emptied
/// instead, and again once tracking is re-armed, so a value that changed while nobody listened is never served.
/// </summary>
internal sealed partial class TrackingInvalidationService(
    IConfiguration configuration,
    IOptions<ProxyOptions> settings,
    CachingProxy proxy,
    CacheInvalidationState state,
    ILogger<TrackingInvalidationService> logger) : BackgroundService
{
    private static readonly RedisChannel InvalidationChannel = RedisChannel.Literal("__redis__:invalidate");

    /// <summary>How often an armed channel is checked, in case a failure raised no event.</summary>
    private static readonly TimeSpan VerifyInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often arming is retried while the channel is down; the cache is emptied each time.</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    // Unique per process, so the subscriber connection can be found in CLIENT LIST.
    private readonly string _clientName = $"redisproxy-invalidation-{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _wakeUp = new(0);
    private ConnectionMultiplexer? _redis;
    private long _redirectClientId;
    private string? _lastProblem;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = BackendConnection.CreateOptions(configuration, settings.Value);
        options.ClientName = _clientName;
        // Under RESP2 the invalidations come as pub/sub messages to the redirect target, which the library delivers per key.
        options.Protocol = RedisProtocol.Resp2;

        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        LogStarting(logger);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (state.IsActive)
                {
                    await VerifyAsync(_redis);
                }
                else
                {
                    await ArmAsync(_redis);
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
            {
                MarkDown(e.Message);
            }

            try
            {
                await _wakeUp.WaitAsync(state.IsActive ? VerifyInterval : RetryInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Requests still draining must not be answered from a cache nobody keeps coherent any more.
        state.MarkInactive();
        proxy.Clear();
        if (_redis is not null)
        {
            _redis.ConnectionFailed -= OnConnectionFailed;
            _redis.ConnectionRestored -= OnConnectionRestored;
            await _redis.DisposeAsync();
        }
    }

    public override void Dispose()
    {
        _wakeUp.Dispose();
        base.Dispose();
    }

    private async Task ArmAsync(ConnectionMultiplexer redis)
    {
        var subscriber = redis.GetSubscriber();
        // Subscribing again is harmless; the library also resubscribes by itself after a reconnect.
        await subscriber.SubscribeAsync(InvalidationChannel, OnInvalidation);
        var endpoint = subscriber.SubscribedEndpoint(InvalidationChannel)
            ?? throw new InvalidOperationException("the invalidation channel has no subscribed server");
        var server = redis.GetServer(endpoint);
        if (server.ServerType == ServerType.Cluster)
        {
            // Each node only reports its own keys; one node's broadcast would leave the others' writes unseen.
            throw new InvalidOperationException("tracking is not supported with Redis Cluster; the cache stays emptied");
        }

        var redirectTo = await FindSubscriberIdAsync(server)
            ?? throw new InvalidOperationException("the invalidation subscriber is not connected");

        await server.ExecuteAsync("CLIENT", "TRACKING", "OFF");
        await server.ExecuteAsync("CLIENT", "TRACKING", "ON", "REDIRECT", redirectTo, "BCAST");
        _redirectClientId = redirectTo;

        // Whatever was cached before now was not covered by tracking; clearing also stops reads in flight from caching.
        proxy.Clear();
        state.MarkActive();
        Volatile.Write(ref _lastProblem, null);
        var where = BackendEndPoints.HostAndPort(endpoint);
        LogArmed(logger, where, redirectTo);
    }

    /// <summary>Checks that Redis still tracks this connection and redirects to the subscriber that is connected now.</summary>
    private async Task VerifyAsync(ConnectionMultiplexer redis)
    {
        var endpoint = redis.GetSubscriber().SubscribedEndpoint(InvalidationChannel)
            ?? throw new InvalidOperationException("the invalidation channel lost its server");
        var server = redis.GetServer(endpoint);
        var subscriberId = await FindSubscriberIdAsync(server);
        var info = (RedisResult[]?)await server.ExecuteAsync("CLIENT", "TRACKINGINFO") ?? [];
        var flags = TrackingInfoField(info, "flags") is { } flagResult ? ((string?[]?)flagResult ?? []) : [];
        var redirect = (long?)TrackingInfoField(info, "redirect") ?? -1;

        if (!flags.Contains("bcast") || flags.Contains("broken_redirect") || subscriberId != _redirectClientId || redirect != _redirectClientId)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"tracking lapsed (flags {string.Join(' ', flags)}, redirect {redirect}, subscriber {subscriberId})"));
        }
    }

    private async Task<long?> FindSubscriberIdAsync(IServer server)
    {
        var clients = await server.ClientListAsync();
        return clients.Where(c => c.Name == _clientName && c.SubscriptionCount > 0).Select(c => (long?)c.Id).Max();
    }

    private static RedisResult? TrackingInfoField(RedisResult[] info, string name)
    {
        for (var i = 0; i + 1 < info.Length; i += 2)
        {
            if (string.Equals((string?)info[i], name, StringComparison.Ordinal))
            {
                return info[i + 1];
            }
        }

        return null;
    }

    private void OnInvalidation(RedisChannel channel, RedisValue key)
    {
        // A null message means Redis dropped everything at once (FLUSHALL, FLUSHDB).
        if (key.IsNull)
        {
            proxy.Clear();
            return;
        }

        proxy.Invalidate((byte[])key!);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        MarkDown($"{e.ConnectionType} connection failed: {e.FailureType}");
        _wakeUp.Release();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Tracking belongs to a connection; after a reconnect it must be armed again (and the redirect may have moved).
        MarkDown($"{e.ConnectionType} connection was re-established, tracking must be re-armed");
        _wakeUp.Release();
    }

    /// <summary>Stops trusting the cache: empties it, and logs the first problem of an outage, not every retry.</summary>
    private void MarkDown(string problem)
    {
        state.MarkInactive();
        proxy.Clear();
        if (Interlocked.CompareExchange(ref _lastProblem, problem, null) is null)
        {
            LogDown(logger, problem);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache invalidation by Redis client tracking is starting.")]
    private static partial void LogStarting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache invalidation armed on {Endpoint}: broadcast tracking redirected to client {ClientId}; cache emptied.")]
    private static partial void LogArmed(ILogger logger, string endpoint, long clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache invalidation is down ({Problem}); the cache is emptied until tracking is re-armed.")]
    private static partial void LogDown(ILogger logger, string problem);
}
