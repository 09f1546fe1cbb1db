using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Invalidation;

/// <summary>
/// Whether the cache is being kept coherent with Redis right now, for the status endpoint. With
/// invalidation off it never is; with tracking it is while the invalidation channel is armed.
/// </summary>
internal sealed class CacheInvalidationState(CacheInvalidationMode mode)
{
    private volatile bool _active;

    public CacheInvalidationMode Mode { get; } = mode;

    /// <summary>True while Redis is sending this proxy an invalidation for every key written.</summary>
    public bool IsActive => _active;

    public void MarkActive() => _active = true;

    public void MarkInactive() => _active = false;
}
