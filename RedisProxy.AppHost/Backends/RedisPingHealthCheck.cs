using System.Net.Sockets;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.Backends;

/// <summary>Healthy once the server answers PING with +PONG, so the API is started against a backend that serves.</summary>
internal sealed class RedisPingHealthCheck(EndpointReference endpoint) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!endpoint.IsAllocated)
        {
            return HealthCheckResult.Unhealthy("endpoint not allocated yet");
        }

        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var reply = new byte[64];
            var read = await stream.ReadAsync(reply, timeout.Token);
            var text = Encoding.ASCII.GetString(reply, 0, read);
            return text.StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"unexpected reply to PING: {text.Trim()}");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("no answer to PING", e);
        }
    }
}

internal static class RedisPingHealthCheckExtensions
{
    public static IResourceBuilder<T> WithRedisPingHealthCheck<T>(this IResourceBuilder<T> resource, EndpointReference endpoint)
        where T : IResource
    {
        var key = $"{resource.Resource.Name}-ping";
        resource.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key, _ => new RedisPingHealthCheck(endpoint), failureStatus: null, tags: null));
        return resource.WithHealthCheck(key);
    }
}
