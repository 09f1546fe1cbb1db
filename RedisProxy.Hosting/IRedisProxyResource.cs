using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// A RedisProxy in the application model, however it runs (<see cref="RedisProxyResource"/> from its project,
/// <see cref="RedisProxyExecutableResource"/> as the installed tool): its connection string is its Redis-protocol
/// endpoint, and the <c>With…</c> settings of <see cref="RedisProxyBuilderExtensions"/> apply to both.
/// </summary>
public interface IRedisProxyResource : IResourceWithConnectionString, IResourceWithEnvironment, IResourceWithEndpoints, IResourceWithWaitSupport
{
}
