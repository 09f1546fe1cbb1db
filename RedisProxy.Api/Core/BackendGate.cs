using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Failures;

namespace RedisProxy.Api.Core;

/// <summary>
/// MAX_CONCURRENT_REQUESTS slots for work that needs the backend, and a bounded queue (MAX_QUEUED_REQUESTS) in front
/// of them. A request that finds the queue full, or waits longer than the backend timeout, is refused with
/// <see cref="ProxyOverloadedException"/>. Cache hits never wait here: they touch nothing that can be slow.
/// Requests that share one backend call (see <see cref="MissFetcher"/>) wait for a single slot together, and each
/// of them still counts as one waiting request.
/// </summary>
internal sealed class BackendGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _maxWait;
    private readonly int _slots;
    private readonly int _maxQueued;
    private int _queued;
    private long _rejected;

    public BackendGate(IOptions<ProxyOptions> options)
    {
        var settings = options.Value;
        _maxWait = settings.BackendTimeout;
        _slots = settings.MaxConcurrentRequests;
        _maxQueued = settings.MaxQueuedRequests;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.MaxConcurrentRequests,
            // The requests are counted here (_queued); the limiter's queue holds at most that many waits.
            QueueLimit = settings.MaxQueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Requests holding a slot now.</summary>
    public long InFlight => _slots - (_limiter.GetStatistics()?.CurrentAvailablePermits ?? _slots);

    /// <summary>Requests waiting for a slot now.</summary>
    public long Queued => Volatile.Read(ref _queued);

    /// <summary>Requests refused since start.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken)
    {
        // A free slot is the common case: take it without a timer or a wait.
        if (TryEnter(out var lease))
        {
            return ValueTask.FromResult(lease);
        }

        return TryQueue() ? WaitForOneRequestAsync(cancellationToken) : ValueTask.FromException<RateLimitLease>(QueueFull());
    }

    /// <summary>Takes a slot if one is free now; never waits.</summary>
    public bool TryEnter(out RateLimitLease lease)
    {
        lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return true;
        }

        lease.Dispose();
        return false;
    }

    /// <summary>
    /// Counts one more request as waiting for a slot, or refuses it when MAX_QUEUED_REQUESTS already wait. Every
    /// request counted here is uncounted by <see cref="StopWaiting"/> once its wait ends, whichever way it ends.
    /// </summary>
    public bool TryQueue()
    {
        if (Interlocked.Increment(ref _queued) <= _maxQueued)
        {
            return true;
        }

        Interlocked.Decrement(ref _queued);
        Interlocked.Increment(ref _rejected);
        return false;
    }

    /// <summary>Ends the wait of <paramref name="requests"/> requests counted by <see cref="TryQueue"/>; <paramref name="refused"/> when they got no slot.</summary>
    public void StopWaiting(int requests, bool refused)
    {
        Interlocked.Add(ref _queued, -requests);
        if (refused)
        {
            Interlocked.Add(ref _rejected, requests);
        }
    }

    /// <summary>The refusal for a request that <see cref="TryQueue"/> turned away.</summary>
    public static ProxyOverloadedException QueueFull() => new("the proxy is busy: too many requests are waiting for the backend");

    /// <summary>
    /// Waits at most the backend timeout for a slot, on behalf of requests counted by <see cref="TryQueue"/>; throws
    /// <see cref="ProxyOverloadedException"/> when none comes free in time.
    /// </summary>
    public async ValueTask<RateLimitLease> WaitForSlotAsync(CancellationToken cancellationToken)
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
            throw new ProxyOverloadedException("the proxy is busy: no backend slot became free in time");
        }

        if (!lease.IsAcquired)
        {
            // Not expected: the limiter never holds more waits than are counted here.
            lease.Dispose();
            throw QueueFull();
        }

        return lease;
    }

    private async ValueTask<RateLimitLease> WaitForOneRequestAsync(CancellationToken cancellationToken)
    {
        var refused = false;
        try
        {
            return await WaitForSlotAsync(cancellationToken);
        }
        catch (ProxyOverloadedException)
        {
            refused = true;
            throw;
        }
        finally
        {
            StopWaiting(1, refused);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
