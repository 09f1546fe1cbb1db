using System.Net;
using RedisProxy.Api.Configuration;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Where the backend's connection settings come from: the Aspire connection string <c>redis</c> (set by the AppHost,
/// or made from REDIS_SERVER_IP and REDIS_SERVER_PORT when the API runs alone), with the proxy's credentials and
/// timeouts on top.
/// </summary>
internal static class BackendConnection
{
    /// <summary>The Aspire connection name of the backing Redis.</summary>
    public const string Name = "redis";

    /// <summary>The connection string: the configured one, else the seed's variables.</summary>
    public static string ConnectionString(IConfiguration configuration, ProxyOptions settings)
    {
        var configured = configuration.GetConnectionString(Name);
        return string.IsNullOrWhiteSpace(configured) ? $"{settings.RedisHost}:{settings.RedisPort}" : configured;
    }

    /// <summary>
    /// What every backend connection of the proxy shares: start and keep retrying while the backend is down, each call
    /// bounded by BACKEND_TIMEOUT_MS, and REDIS_USER, REDIS_PASSWORD and REDIS_TLS applied. RESP2 unless changed; admin
    /// commands allowed, since clients' commands are forwarded (which ones a client may send is the proxy's policy).
    /// </summary>
    public static void Configure(ConfigurationOptions redis, ProxyOptions settings)
    {
        redis.Protocol = RedisProtocol.Resp2;
        redis.AllowAdmin = true;
        redis.AbortOnConnectFail = false;
        redis.ConnectTimeout = (int)settings.BackendTimeout.TotalMilliseconds;
        redis.AsyncTimeout = (int)settings.BackendTimeout.TotalMilliseconds;
        redis.SyncTimeout = (int)settings.BackendTimeout.TotalMilliseconds;
        BackendCredentials.Apply(settings, redis);
    }

    /// <summary>
    /// Points <paramref name="options"/> at <paramref name="server"/> alone, as a plain server: the primary the proxy
    /// follows (Sentinel), where a client library in Sentinel mode would ask the sentinels itself.
    /// </summary>
    public static void PointAt(ConfigurationOptions options, EndPoint server)
    {
        options.EndPoints.Clear();
        options.EndPoints.Add(server);
        options.ServiceName = null;
    }

    /// <summary>Options for a connection of the proxy's own beside the shared one (the invalidation listener's).</summary>
    public static ConfigurationOptions CreateOptions(IConfiguration configuration, ProxyOptions settings)
    {
        var options = ConfigurationOptions.Parse(ConnectionString(configuration, settings));
        Configure(options, settings);
        return options;
    }
}
