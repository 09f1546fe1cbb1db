using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Core;

/// <summary>
/// MAX_CONCURRENT_REQUESTS slots for work that needs the backend, and a bounded queue (MAX_QUEUED_REQUESTS) in front
/// of them. A request that finds the queue full, or waits longer than the backend timeout, is refused with
/// <see cref="ProxyOverloadedException"/>. Cache hits never wait here: they touch nothing that can be slow.
/// </summary>
internal sealed class BackendGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _maxWait;
    private readonly int _slots;
    private long _rejected;

    public BackendGate(IOptions<ProxyOptions> options)
    {
        var settings = options.Value;
        _maxWait = settings.BackendTimeout;
        _slots = settings.MaxConcurrentRequests;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.MaxConcurrentRequests,
            QueueLimit = settings.MaxQueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Requests holding a slot now.</summary>
    public long InFlight => _slots - (_limiter.GetStatistics()?.CurrentAvailablePermits ?? _slots);

    /// <summary>Requests waiting for a slot now.</summary>
    public long Queued => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Requests refused since start.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken)
    {
        // A free slot is the common case: take it without a timer or a wait.
        var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult(lease);
        }

        lease.Dispose();
        return WaitForSlotAsync(cancellationToken);
    }

    private async ValueTask<RateLimitLease> WaitForSlotAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_maxWait);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _rejected);
            throw new ProxyOverloadedException("the proxy is busy: no backend slot became free in time");
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            Interlocked.Increment(ref _rejected);
            throw new ProxyOverloadedException("the proxy is busy: too many requests are waiting for the backend");
        }

        return lease;
    }

    public void Dispose() => _limiter.Dispose();
}
