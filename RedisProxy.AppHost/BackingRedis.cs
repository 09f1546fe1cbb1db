using Aspire.Hosting.Backends;

namespace Aspire.Hosting;

/// <summary>
/// Chooses and declares the backing Redis. Every mode yields a resource with a connection string, so the API gets
/// <c>ConnectionStrings:redis</c> whichever one runs.
/// </summary>
internal static class BackingRedis
{
    public static IResourceBuilder<IResourceWithConnectionString> AddBackingRedis(this IDistributedApplicationBuilder builder, string name)
    {
        var mode = RedisModeSelection.Choose(builder);
        return mode switch
        {
            RedisMode.Container => builder.AddRedis(name),
            RedisMode.Garnet => builder.AddGarnetBackend(name),
            RedisMode.RedisServer => builder.AddRedisServerBackend(name),
            RedisMode.Cluster => builder.AddRedisClusterBackend(name),
            RedisMode.Sentinel => builder.AddRedisSentinelBackend(name),
            RedisMode.External => builder.AddConnectionString(name),
            _ => throw new InvalidOperationException($"Unhandled redis mode {mode}."),
        };
    }
}
