using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// A RedisProxy run as an executable, the .NET tool by default (<c>dotnet tool install -g RedisProxy</c>, command
/// <c>redis-proxy</c>), for an AppHost whose solution does not hold the proxy's project.
/// </summary>
/// <param name="name">The resource's name, and the connection name apps use.</param>
/// <param name="command">The proxy's executable: <c>redis-proxy</c> on the PATH, or a path.</param>
/// <param name="workingDirectory">Where it runs.</param>
public sealed class RedisProxyExecutableResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IRedisProxyResource
{
    /// <summary><c>host:port</c> of the Redis-protocol endpoint, as StackExchange.Redis takes it.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{new EndpointReference(this, RedisProxyResource.RespEndpointName).Property(EndpointProperty.HostAndPort)}");
}
