using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Core;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Invalidation;

/// <summary>
/// Keeps the local cache coherent with Redis (CACHE_INVALIDATION=tracking) through Redis client-side caching in
/// broadcast mode: one <see cref="InvalidationChannel"/> per primary (the one primary off a cluster, each primary of a
/// cluster), re-armed when the primaries change (a Sentinel switch, a cluster failover, slots moving). The cache takes
/// only keys whose primary's channel is armed (<see cref="CacheCoverage"/>): while a channel is down, its node's
/// slots (every key, off a cluster) are neither cached nor served from the cache.
/// </summary>
internal sealed partial class TrackingInvalidationService : BackgroundService, IInvalidationSink
{
    /// <summary>
    /// How often the primaries are looked up and each channel's node asked whether it is still a primary: a demoted
    /// node stays connected but no longer sees the writes, so this bounds how long a failover can go unnoticed.
    /// </summary>
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly BackendConnections _connections;
    private readonly ClusterSlots _slots;
    private readonly CachingProxy _proxy;
    private readonly CacheInvalidationState _state;
    private readonly ILogger<TrackingInvalidationService> _logger;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _wakeUp = new(0);

    private readonly Lock _lock = new();
    private readonly Dictionary<EndPoint, InvalidationChannel> _channels = [];
    private readonly Dictionary<EndPoint, string> _problems = [];
    private IReadOnlyList<PrimaryNode> _primaries = [];

    /// <summary>Counts the Sentinel switches: channels opened for the primaries found before one are not kept.</summary>
    private long _switches;

    private long _invalidations;
    private string? _discoveryProblem;

    public TrackingInvalidationService(
        IOptions<ProxyOptions> settings,
        BackendConnections connections,
        ClusterSlots slots,
        CachingProxy proxy,
        CacheInvalidationState state,
        IMeterFactory meterFactory,
        ILogger<TrackingInvalidationService> logger)
    {
        _connections = connections;
        _slots = slots;
        _proxy = proxy;
        _state = state;
        _logger = logger;
        _timeout = settings.Value.BackendTimeout;

        // Nothing is cached until a channel is armed: before that, nobody would hear of a change.
        proxy.Cover(CacheCoverage.Nothing);
        var meter = meterFactory.Create(ProxyTelemetry.Name);
        meter.CreateObservableGauge("redisproxy.invalidation.channels", ObserveChannels, "{channel}", "Invalidation channels per primary: 1 armed, 0 down.");
        meter.CreateObservableCounter("redisproxy.invalidation.keys", () => Interlocked.Read(ref _invalidations), "{key}", "Keys Redis reported written, each dropped from the cache.");
    }

    public void Invalidate(List<byte[]> keys)
    {
        foreach (var key in keys)
        {
            _proxy.Invalidate(key);
        }

        Interlocked.Add(ref _invalidations, keys.Count);
    }

    // FLUSHALL or FLUSHDB on a primary; one node's flush empties the whole cache, which is never wrong.
    public void InvalidateAll() => _proxy.Clear();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _connections.PrimaryChanged += OnPrimaryChanged;
        LogStarting(_logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
            {
                NoteDiscoveryProblem(e.Message);
            }

            try
            {
                await _wakeUp.WaitAsync(CheckInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _connections.PrimaryChanged -= OnPrimaryChanged;
        await base.StopAsync(cancellationToken);
        // Requests still draining must not be answered from a cache nobody keeps coherent any more.
        List<InvalidationChannel> channels;
        lock (_lock)
        {
            channels = [.. _channels.Values];
            _channels.Clear();
            _primaries = [];
            ApplyCoverage();
        }

        foreach (var channel in channels)
        {
            await channel.DisposeAsync();
        }
    }

    public override void Dispose()
    {
        _wakeUp.Dispose();
        base.Dispose();
    }

    /// <summary>Looks up the primaries, closes the channels that no longer serve one, and arms the missing ones.</summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var switches = Interlocked.Read(ref _switches);
        var primaries = await DiscoverPrimariesAsync();
        if (Interlocked.Exchange(ref _discoveryProblem, null) is not null)
        {
            LogPrimariesFound(_logger, primaries.Count);
        }

        List<InvalidationChannel> retired;
        List<InvalidationChannel> kept;
        lock (_lock)
        {
            if (switches != _switches)
            {
                return;
            }

            _primaries = primaries;
            retired = [.. _channels.Values.Where(channel => !primaries.Any(primary => primary.Node.Equals(channel.Node)))];
            foreach (var channel in retired)
            {
                Retire(channel, "the node is no longer a primary");
            }

            kept = [.. _channels.Values];
            ApplyCoverage();
        }

        await Task.WhenAll(retired.Select(channel => channel.DisposeAsync().AsTask()));
        await Task.WhenAll(kept.Select(CheckAsync));
        await Task.WhenAll(primaries.Where(primary => !IsArmed(primary.Node)).Select(primary => ArmAsync(primary.Node, switches, cancellationToken)));
    }

    /// <summary>The primaries and their slots: every primary of a cluster that holds slots; else the one primary, covering every key.</summary>
    private async Task<IReadOnlyList<PrimaryNode>> DiscoverPrimariesAsync()
    {
        if (!_slots.IsCluster)
        {
            return [new PrimaryNode(_connections.Primary(), null)];
        }

        var server = _connections.Shared.GetServers().FirstOrDefault(s => s.IsConnected && s.ServerType == ServerType.Cluster)
            ?? throw new InvalidOperationException("no cluster node is connected");
        var nodes = await server.ClusterNodesAsync().WaitAsync(_timeout)
            ?? throw new InvalidOperationException("the cluster did not describe its nodes");
        return
        [
            .. ClusterSlots.PrimariesServingSlots(nodes)
                .Where(node => !node.IsNoAddr && node.EndPoint is not null)
                .Select(node => new PrimaryNode(node.EndPoint!, [.. node.Slots.Select(range => (range.From, range.To))])),
        ];
    }

    private async Task CheckAsync(InvalidationChannel channel)
    {
        if (await channel.CheckAsync(_timeout) is { } problem)
        {
            OnChannelClosed(channel, problem);
        }
    }

    private async Task ArmAsync(EndPoint node, long switches, CancellationToken cancellationToken)
    {
        InvalidationChannel channel;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            channel = await InvalidationChannel.OpenAsync(node, _connections.OptionsForPrimary(), this, timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or AuthenticationException)
        {
            NoteChannelProblem(node, e is OperationCanceledException ? "the node did not answer in time" : e.Message);
            return;
        }

        bool stale;
        lock (_lock)
        {
            // A Sentinel switch since the primaries were looked up, or a newer look-up without this node: not a primary.
            stale = switches != _switches || !_primaries.Any(primary => primary.Node.Equals(node)) || _channels.ContainsKey(node);
            if (!stale)
            {
                _channels[node] = channel;
                _problems.Remove(node);
                ApplyCoverage();
            }
        }

        if (stale)
        {
            await channel.DisposeAsync();
            return;
        }

        var where = BackendEndPoints.HostAndPort(node);
        LogArmed(_logger, where);
        _ = WatchAsync(channel);
    }

    private async Task WatchAsync(InvalidationChannel channel) => OnChannelClosed(channel, await channel.Closed);

    /// <summary>A channel that ended: its node's keys lose cover at once, and arming it again starts right away.</summary>
    private void OnChannelClosed(InvalidationChannel channel, string problem)
    {
        bool wasCurrent;
        lock (_lock)
        {
            wasCurrent = _channels.TryGetValue(channel.Node, out var current) && ReferenceEquals(current, channel);
            if (wasCurrent)
            {
                Retire(channel, problem);
                ApplyCoverage();
            }
        }

        if (wasCurrent)
        {
            var where = BackendEndPoints.HostAndPort(channel.Node);
            LogDown(_logger, where, problem);
            _ = channel.DisposeAsync().AsTask();
            WakeUp();
        }
    }

    /// <summary>A Sentinel switch: every channel served the old primary, so nothing is covered until the new one is armed.</summary>
    private void OnPrimaryChanged(EndPoint primary)
    {
        List<InvalidationChannel> retired;
        lock (_lock)
        {
            _switches++;
            retired = [.. _channels.Values];
            foreach (var channel in retired)
            {
                Retire(channel, "the primary changed");
            }

            _primaries = [new PrimaryNode(primary, null)];
            ApplyCoverage();
        }

        foreach (var channel in retired)
        {
            _ = channel.DisposeAsync().AsTask();
        }

        WakeUp();
    }

    /// <summary>Caller holds the lock.</summary>
    private void Retire(InvalidationChannel channel, string problem)
    {
        _channels.Remove(channel.Node);
        _problems[channel.Node] = problem;
    }

    private bool IsArmed(EndPoint node)
    {
        lock (_lock)
        {
            return _channels.ContainsKey(node);
        }
    }

    /// <summary>Lets the cache take the keys of the armed primaries, and reports each channel. Caller holds the lock.</summary>
    private void ApplyCoverage()
    {
        var armed = _primaries.Where(primary => _channels.ContainsKey(primary.Node)).ToList();
        var coverage = armed.Count == 0 ? CacheCoverage.Nothing
            : armed is [{ Slots: null }] ? CacheCoverage.Everything
            : CacheCoverage.OfSlots(armed.SelectMany(primary => primary.Slots ?? []));
        _proxy.Cover(coverage);
        _state.Report(
            _primaries.Count > 0 && armed.Count == _primaries.Count,
            [.. _primaries.Select(primary => new InvalidationChannelState(
                BackendEndPoints.HostAndPort(primary.Node),
                _channels.ContainsKey(primary.Node),
                _channels.ContainsKey(primary.Node) ? null : _problems.GetValueOrDefault(primary.Node, "not armed yet")))]);
    }

    private void NoteChannelProblem(EndPoint node, string problem)
    {
        bool first;
        lock (_lock)
        {
            first = !_problems.TryGetValue(node, out var previous) || previous != problem;
            _problems[node] = problem;
            ApplyCoverage();
        }

        if (first)
        {
            var where = BackendEndPoints.HostAndPort(node);
            LogDown(_logger, where, problem);
        }
    }

    /// <summary>Logs the first problem of an outage, not every retry.</summary>
    private void NoteDiscoveryProblem(string problem)
    {
        if (Interlocked.CompareExchange(ref _discoveryProblem, problem, null) is null)
        {
            LogNoPrimaries(_logger, problem);
        }
    }

    private IEnumerable<Measurement<int>> ObserveChannels() =>
        _state.Channels.Select(channel => new Measurement<int>(channel.Armed ? 1 : 0, new KeyValuePair<string, object?>("server.address", channel.Node)));

    private void WakeUp()
    {
        try
        {
            _wakeUp.Release();
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache invalidation by Redis client tracking is starting; nothing is cached until a channel is armed.")]
    private static partial void LogStarting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache invalidation armed on {Node}: broadcast tracking; its keys may be cached.")]
    private static partial void LogArmed(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache invalidation on {Node} is down ({Problem}); its keys are not cached until it is re-armed.")]
    private static partial void LogDown(ILogger logger, string node, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache invalidation cannot find the primaries ({Problem}); channels stay as they are until it can.")]
    private static partial void LogNoPrimaries(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache invalidation found {Count} primaries again.")]
    private static partial void LogPrimariesFound(ILogger logger, int count);

    /// <summary>A primary and the hash slots it serves; null slots for every key (not a cluster).</summary>
    private sealed record PrimaryNode(EndPoint Node, IReadOnlyList<(int Start, int End)>? Slots);
}
