using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Invalidation;

/// <summary>
/// Whether the cache is being kept coherent with Redis right now, and by which channels, for the status endpoint and
/// the metrics. With invalidation off it never is; with tracking it is while every primary's channel is armed.
/// </summary>
internal sealed class CacheInvalidationState(CacheInvalidationMode mode)
{
    private volatile Snapshot _now = new(false, []);

    public CacheInvalidationMode Mode { get; } = mode;

    /// <summary>True while Redis is sending this proxy an invalidation for every key written, on every primary.</summary>
    public bool IsActive => _now.Active;

    /// <summary>One entry per primary: its channel, armed or not.</summary>
    public IReadOnlyList<InvalidationChannelState> Channels => _now.Channels;

    public void Report(bool active, IReadOnlyList<InvalidationChannelState> channels) => _now = new Snapshot(active, channels);

    private sealed record Snapshot(bool Active, IReadOnlyList<InvalidationChannelState> Channels);
}

/// <summary>A primary's invalidation channel: the node (host and port), whether it is armed, and if not, why.</summary>
internal sealed record InvalidationChannelState(string Node, bool Armed, string? Problem);
