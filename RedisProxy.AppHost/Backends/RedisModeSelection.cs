using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Backends;

/// <summary>
/// Reads <c>redis-mode</c> (the argument <c>--redis-mode X</c>, appsettings, or the variable <c>REDIS_MODE</c>) and
/// resolves <c>auto</c>. Publishing always uses the container, so manifests carry the real Redis.
/// </summary>
internal static class RedisModeSelection
{
    public static RedisMode Choose(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return RedisMode.Container;
        }

        var configured = builder.Configuration["redis-mode"] ?? builder.Configuration["REDIS_MODE"] ?? "auto";
        var mode = Parse(configured);
        if (mode != RedisMode.Auto)
        {
            return mode;
        }

        return ContainerEngineProbe.Answers(TimeSpan.FromSeconds(2)) ? RedisMode.Container : RedisMode.Garnet;
    }

    private static RedisMode Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => RedisMode.Auto,
        "container" => RedisMode.Container,
        "garnet" => RedisMode.Garnet,
        "redis-server" => RedisMode.RedisServer,
        "cluster" => RedisMode.Cluster,
        "sentinel" => RedisMode.Sentinel,
        "external" => RedisMode.External,
        _ => throw new DistributedApplicationException(
            $"redis-mode must be one of auto, container, garnet, redis-server, cluster, sentinel, external (got '{text}')."),
    };
}
