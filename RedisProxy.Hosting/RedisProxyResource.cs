using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// A RedisProxy in the application model: a .NET project whose connection string is its Redis-protocol endpoint, so
/// an app references it as it would a Redis server (<c>builder.AddRedisClient("cache")</c>) and gets local caching.
/// </summary>
/// <param name="name">The resource's name, and the connection name apps use.</param>
public sealed class RedisProxyResource(string name) : ProjectResource(name), IRedisProxyResource
{
    /// <summary>The name of the HTTP endpoint for keys (<c>GET /{key}</c>).</summary>
    public const string HttpEndpointName = "http";

    /// <summary>The name of the Redis-protocol endpoint, the one the connection string points at.</summary>
    public const string RespEndpointName = "resp";

    /// <summary>The name of the management endpoint (<c>/health</c>, <c>/alive</c>, <c>/status</c>).</summary>
    public const string ManagementEndpointName = "management";

    /// <summary>The Redis-protocol endpoint.</summary>
    public EndpointReference RespEndpoint => new(this, RespEndpointName);

    /// <summary><c>host:port</c> of the Redis-protocol endpoint, as StackExchange.Redis takes it.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{RespEndpoint.Property(EndpointProperty.HostAndPort)}");
}
