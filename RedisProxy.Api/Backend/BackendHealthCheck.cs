using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Healthy while the backend the proxy uses now answers PING within BACKEND_TIMEOUT_MS: after a Sentinel switch that
/// is the new primary, and on a cluster a plain PING needs no admin command.
/// </summary>
internal sealed class BackendHealthCheck(BackendConnections connections, IOptions<ProxyOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await connections.Shared.GetDatabase().PingAsync().WaitAsync(options.Value.BackendTimeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "the backend does not answer PING", e);
        }
    }
}
