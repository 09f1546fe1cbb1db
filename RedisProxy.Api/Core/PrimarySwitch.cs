using Polly.CircuitBreaker;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Backend.Pinned;

namespace RedisProxy.Api.Core;

/// <summary>
/// What follows a new primary (a Sentinel failover): the cache is emptied (it may hold what the old primary took and
/// the new one never got), pinned connections to the old primary are closed, and the circuit breaker closes, since
/// the old primary's failures say nothing of the new one. A primary reached again after one was lost (restarted,
/// failed over on a cluster) empties the cache too: writes the lost one acknowledged may not have survived it.
/// </summary>
internal sealed class PrimarySwitch
{
    public PrimarySwitch(BackendConnections connections, CachingProxy proxy, PinnedConnectionPool pinned, CircuitBreakerManualControl circuit)
    {
        connections.PrimaryChanged += primary =>
        {
            proxy.Clear();
            _ = pinned.CloseAllAsync();
            _ = circuit.CloseAsync();
        };
        connections.PrimaryRecovered += proxy.Clear;
    }
}
