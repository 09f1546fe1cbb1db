using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Adds a RedisProxy to an Aspire application and sets it up.</summary>
public static class RedisProxyBuilderExtensions
{
    /// <summary>
    /// Adds a RedisProxy run from its project <typeparamref name="TProject"/> (<c>Projects.RedisProxy_Api</c> when the
    /// project is in the solution), with its three endpoints on the proxy's default ports (HTTP 8989, Redis protocol
    /// 6380, management 8990), a health check on <c>/health</c>, and the dashboard commands "Clear cache" and
    /// "Cache status". Give it a backend with <see cref="WithBackend"/>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource's name, and the connection name apps reference it by.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> AddRedisProxy<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The documented way for an integration to give a .NET project a resource type of its own (here: one with a
        // connection string), evaluation-only in this Aspire version.
#pragma warning disable ASPIREPROJECTS001
        var proxy = builder.AddResource(new RedisProxyResource(name))
            .WithAnnotation<IProjectMetadata>(new TProject())
            .WithProjectDefaults(new ProjectResourceOptions())
#pragma warning restore ASPIREPROJECTS001
            .WithHttpEndpoint(port: 8989, name: RedisProxyResource.HttpEndpointName, env: "PROXY_PORT")
            .WithHttpEndpoint(port: 8990, name: RedisProxyResource.ManagementEndpointName, env: "PROXY_MANAGEMENT_PORT")
            .WithEndpoint(port: 6380, name: RedisProxyResource.RespEndpointName, scheme: "tcp", env: "PROXY_RESP_PORT")
            .WithHttpHealthCheck("/health", endpointName: RedisProxyResource.ManagementEndpointName)
            .WithCacheCommands();
        if (builder.ExecutionContext.IsRunMode)
        {
            // Aspire's proxy forwards the public ports from loopback; the proxy itself needs no other interface.
            proxy.WithEnvironment("PROXY_IP", "127.0.0.1");
        }

        return proxy;
    }

    /// <summary>
    /// Gives <paramref name="app"/> the proxy's connection string (<c>ConnectionStrings__{name}</c>: its Redis-protocol
    /// endpoint), so <c>builder.AddRedisClient(name)</c> in the app connects to it as to Redis. Without this overload a
    /// project resource would be referenced by its HTTP endpoints (service discovery) instead.
    /// </summary>
    /// <typeparam name="TDestination">The app's resource type.</typeparam>
    /// <param name="app">The app that uses the cache.</param>
    /// <param name="proxy">The proxy.</param>
    /// <returns>The app's resource builder.</returns>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> app, IResourceBuilder<RedisProxyResource> proxy)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return app.WithReference((IResourceBuilder<IResourceWithConnectionString>)proxy);
    }

    /// <summary>The Redis the proxy caches (any resource with a connection string: a server, a cluster, Sentinel); waited for.</summary>
    /// <param name="proxy">The proxy.</param>
    /// <param name="redis">The backend.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> WithBackend(this IResourceBuilder<RedisProxyResource> proxy, IResourceBuilder<IResourceWithConnectionString> redis) =>
        proxy.WithReference(redis, connectionName: "redis").WaitFor(redis);

    /// <summary>How many entries the cache holds (<c>CACHE_CAPACITY</c>; 1500 by default).</summary>
    /// <param name="proxy">The proxy.</param>
    /// <param name="entries">The capacity.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> WithCacheCapacity(this IResourceBuilder<RedisProxyResource> proxy, int entries) =>
        proxy.WithEnvironment("CACHE_CAPACITY", entries.ToString(CultureInfo.InvariantCulture));

    /// <summary>The cache capacity from a parameter, so the dashboard shows it.</summary>
    /// <param name="proxy">The proxy.</param>
    /// <param name="entries">A parameter holding the capacity.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> WithCacheCapacity(this IResourceBuilder<RedisProxyResource> proxy, IResourceBuilder<ParameterResource> entries) =>
        proxy.WithEnvironment("CACHE_CAPACITY", entries);

    /// <summary>How long an entry lives at most (<c>CACHE_EXPIRY</c>, whole seconds; an hour by default).</summary>
    /// <param name="proxy">The proxy.</param>
    /// <param name="expiry">The longest life of an entry.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> WithCacheExpiry(this IResourceBuilder<RedisProxyResource> proxy, TimeSpan expiry) =>
        proxy.WithEnvironment("CACHE_EXPIRY", ((long)expiry.TotalSeconds).ToString(CultureInfo.InvariantCulture));

    /// <summary>The cache expiry in seconds from a parameter, so the dashboard shows it.</summary>
    /// <param name="proxy">The proxy.</param>
    /// <param name="seconds">A parameter holding the expiry in seconds.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> WithCacheExpiry(this IResourceBuilder<RedisProxyResource> proxy, IResourceBuilder<ParameterResource> seconds) =>
        proxy.WithEnvironment("CACHE_EXPIRY", seconds);

    /// <summary>How many backend calls run at once (<c>MAX_CONCURRENT_REQUESTS</c>; 11 by default).</summary>
    /// <param name="proxy">The proxy.</param>
    /// <param name="requests">The limit.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> WithMaxConcurrentRequests(this IResourceBuilder<RedisProxyResource> proxy, int requests) =>
        proxy.WithEnvironment("MAX_CONCURRENT_REQUESTS", requests.ToString(CultureInfo.InvariantCulture));

    /// <summary>The backend concurrency limit from a parameter, so the dashboard shows it.</summary>
    /// <param name="proxy">The proxy.</param>
    /// <param name="requests">A parameter holding the limit.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> WithMaxConcurrentRequests(this IResourceBuilder<RedisProxyResource> proxy, IResourceBuilder<ParameterResource> requests) =>
        proxy.WithEnvironment("MAX_CONCURRENT_REQUESTS", requests);

    /// <summary>
    /// Keeps the cache coherent with Redis (<c>CACHE_INVALIDATION=tracking</c>): a key written in Redis by anyone is
    /// dropped from every replica's cache within milliseconds. Off by default.
    /// </summary>
    /// <param name="proxy">The proxy.</param>
    /// <param name="tracking">Whether to track.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> WithInvalidation(this IResourceBuilder<RedisProxyResource> proxy, bool tracking = true) =>
        proxy.WithEnvironment("CACHE_INVALIDATION", tracking ? "tracking" : "off");

    /// <summary>The invalidation mode (<c>off</c> or <c>tracking</c>) from a parameter, so the dashboard shows it.</summary>
    /// <param name="proxy">The proxy.</param>
    /// <param name="mode">A parameter holding the mode.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyResource> WithInvalidation(this IResourceBuilder<RedisProxyResource> proxy, IResourceBuilder<ParameterResource> mode) =>
        proxy.WithEnvironment("CACHE_INVALIDATION", mode);

    private static IResourceBuilder<RedisProxyResource> WithCacheCommands(this IResourceBuilder<RedisProxyResource> proxy) => proxy
        .WithHttpCommand("/cache", "Clear cache", endpointName: RedisProxyResource.HttpEndpointName, commandName: RedisProxyCommands.ClearCache, commandOptions: new()
        {
            Method = HttpMethod.Delete,
            Description = "Empties the proxy's local cache (DELETE /cache). Redis keeps every key.",
            ConfirmationMessage = "Empty the proxy's local cache? Redis keeps every key; the next reads go to Redis.",
            IconName = "Delete",
            ResultMode = HttpCommandResultMode.Json,
        })
        .WithHttpCommand("/cache", "Cache status", endpointName: RedisProxyResource.HttpEndpointName, commandName: RedisProxyCommands.CacheStatus, commandOptions: new()
        {
            Method = HttpMethod.Get,
            Description = "Shows the cached keys (least recently used first), occupancy and capacity (GET /cache).",
            IconName = "Info",
            ResultMode = HttpCommandResultMode.Json,
        });
}

/// <summary>The names of the dashboard commands a RedisProxy resource has.</summary>
public static class RedisProxyCommands
{
    /// <summary>Empties the proxy's cache (<c>DELETE /cache</c>).</summary>
    public const string ClearCache = "clear-cache";

    /// <summary>Shows the cached keys, occupancy and capacity (<c>GET /cache</c>).</summary>
    public const string CacheStatus = "cache-status";
}
