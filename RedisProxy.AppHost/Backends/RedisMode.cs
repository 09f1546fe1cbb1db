namespace Aspire.Hosting.Backends;

/// <summary>Which server backs the proxy (setting <c>redis-mode</c>).</summary>
internal enum RedisMode
{
    /// <summary>A container where an engine answers, otherwise the embedded Garnet server.</summary>
    Auto,

    /// <summary>The Redis container image; always the choice for deployment manifests.</summary>
    Container,

    /// <summary>Microsoft Garnet, a Redis-compatible server from NuGet, run as a small project.</summary>
    Garnet,

    /// <summary>The redis-server executable on PATH (Debian package redis-server).</summary>
    RedisServer,

    /// <summary>A Redis Cluster of three primaries and three replicas from redis-server on PATH.</summary>
    Cluster,

    /// <summary>A primary, a replica and three sentinels from redis-server and redis-sentinel on PATH.</summary>
    Sentinel,

    /// <summary>An existing server, by <c>ConnectionStrings:redis</c>.</summary>
    External,
}
