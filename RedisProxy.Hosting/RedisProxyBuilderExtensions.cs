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
        return builder.AddResource(new RedisProxyResource(name))
            .WithAnnotation<IProjectMetadata>(new TProject())
            .WithProjectDefaults(new ProjectResourceOptions())
#pragma warning restore ASPIREPROJECTS001
            .WithProxyDefaults(builder);
    }

    /// <summary>
    /// Adds a RedisProxy run as an executable: the installed .NET tool (<c>dotnet tool install -g RedisProxy</c>) unless
    /// <paramref name="command"/> names another, for an AppHost whose solution does not hold the proxy's project. The
    /// same endpoints, health check, dashboard commands and settings as <see cref="AddRedisProxy{TProject}"/>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource's name, and the connection name apps reference it by.</param>
    /// <param name="command">The proxy's executable: <c>redis-proxy</c> on the PATH (the global tool), or a path.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<RedisProxyExecutableResource> AddRedisProxy(this IDistributedApplicationBuilder builder, string name, string command = "redis-proxy")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new RedisProxyExecutableResource(name, command, builder.AppHostDirectory))
            .WithProxyDefaults(builder);
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

    /// <summary>Gives <paramref name="app"/> the connection string of a proxy run as an executable (see the overload above).</summary>
    /// <typeparam name="TDestination">The app's resource type.</typeparam>
    /// <param name="app">The app that uses the cache.</param>
    /// <param name="proxy">The proxy.</param>
    /// <returns>The app's resource builder.</returns>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> app, IResourceBuilder<RedisProxyExecutableResource> proxy)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return app.WithReference((IResourceBuilder<IResourceWithConnectionString>)proxy);
    }

    /// <summary>The Redis the proxy caches (any resource with a connection string: a server, a cluster, Sentinel); waited for.</summary>
    /// <typeparam name="TProxy">The proxy's resource type.</typeparam>
    /// <param name="proxy">The proxy.</param>
    /// <param name="redis">The backend.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<TProxy> WithBackend<TProxy>(this IResourceBuilder<TProxy> proxy, IResourceBuilder<IResourceWithConnectionString> redis)
        where TProxy : IRedisProxyResource =>
        proxy.WithReference(redis, connectionName: "redis").WaitFor(redis);

    /// <summary>How many entries the cache holds (<c>CACHE_CAPACITY</c>; 1500 by default).</summary>
    /// <typeparam name="TProxy">The proxy's resource type.</typeparam>
    /// <param name="proxy">The proxy.</param>
    /// <param name="entries">The capacity.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<TProxy> WithCacheCapacity<TProxy>(this IResourceBuilder<TProxy> proxy, int entries)
        where TProxy : IRedisProxyResource =>
        proxy.WithEnvironment("CACHE_CAPACITY", entries.ToString(CultureInfo.InvariantCulture));

    /// <summary>The cache capacity from a parameter, so the dashboard shows it.</summary>
    /// <typeparam name="TProxy">The proxy's resource type.</typeparam>
    /// <param name="proxy">The proxy.</param>
    /// <param name="entries">A parameter holding the capacity.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<TProxy> WithCacheCapacity<TProxy>(this IResourceBuilder<TProxy> proxy, IResourceBuilder<ParameterResource> entries)
        where TProxy : IRedisProxyResource =>
        proxy.WithEnvironment("CACHE_CAPACITY", entries);

    /// <summary>How long an entry lives at most (<c>CACHE_EXPIRY</c>, whole seconds; an hour by default).</summary>
    /// <typeparam name="TProxy">The proxy's resource type.</typeparam>
    /// <param name="proxy">The proxy.</param>
    /// <param name="expiry">The longest life of an entry.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<TProxy> WithCacheExpiry<TProxy>(this IResourceBuilder<TProxy> proxy, TimeSpan expiry)
        where TProxy : IRedisProxyResource =>
        proxy.WithEnvironment("CACHE_EXPIRY", ((long)expiry.TotalSeconds).ToString(CultureInfo.InvariantCulture));

    /// <summary>The cache expiry in seconds from a parameter, so the dashboard shows it.</summary>
    /// <typeparam name="TProxy">The proxy's resource type.</typeparam>
    /// <param name="proxy">The proxy.</param>
    /// <param name="seconds">A parameter holding the expiry in seconds.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<TProxy> WithCacheExpiry<TProxy>(this IResourceBuilder<TProxy> proxy, IResourceBuilder<ParameterResource> seconds)
        where TProxy : IRedisProxyResource =>
        proxy.WithEnvironment("CACHE_EXPIRY", seconds);

    /// <summary>How many backend calls run at once (<c>MAX_CONCURRENT_REQUESTS</c>; 11 by default).</summary>
    /// <typeparam name="TProxy">The proxy's resource type.</typeparam>
    /// <param name="proxy">The proxy.</param>
    /// <param name="requests">The limit.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<TProxy> WithMaxConcurrentRequests<TProxy>(this IResourceBuilder<TProxy> proxy, int requests)
        where TProxy : IRedisProxyResource =>
        proxy.WithEnvironment("MAX_CONCURRENT_REQUESTS", requests.ToString(CultureInfo.InvariantCulture));

    /// <summary>The backend concurrency limit from a parameter, so the dashboard shows it.</summary>
    /// <typeparam name="TProxy">The proxy's resource type.</typeparam>
    /// <param name="proxy">The proxy.</param>
    /// <param name="requests">A parameter holding the limit.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<TProxy> WithMaxConcurrentRequests<TProxy>(this IResourceBuilder<TProxy> proxy, IResourceBuilder<ParameterResource> requests)
        where TProxy : IRedisProxyResource =>
        proxy.WithEnvironment("MAX_CONCURRENT_REQUESTS", requests);

    /// <summary>
    /// Keeps the cache coherent with Redis (<c>CACHE_INVALIDATION=tracking</c>): a key written in Redis by anyone is
    /// dropped from every replica's cache within milliseconds. Off by default.
    /// </summary>
    /// <typeparam name="TProxy">The proxy's resource type.</typeparam>
    /// <param name="proxy">The proxy.</param>
    /// <param name="tracking">Whether to track.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<TProxy> WithInvalidation<TProxy>(this IResourceBuilder<TProxy> proxy, bool tracking = true)
        where TProxy : IRedisProxyResource =>
        proxy.WithEnvironment("CACHE_INVALIDATION", tracking ? "tracking" : "off");

    /// <summary>The invalidation mode (<c>off</c> or <c>tracking</c>) from a parameter, so the dashboard shows it.</summary>
    /// <typeparam name="TProxy">The proxy's resource type.</typeparam>
    /// <param name="proxy">The proxy.</param>
    /// <param name="mode">A parameter holding the mode.</param>
    /// <returns>The proxy's resource builder.</returns>
    public static IResourceBuilder<TProxy> WithInvalidation<TProxy>(this IResourceBuilder<TProxy> proxy, IResourceBuilder<ParameterResource> mode)
        where TProxy : IRedisProxyResource =>
        proxy.WithEnvironment("CACHE_INVALIDATION", mode);

    /// <summary>
    /// What every proxy resource has: its three endpoints on the proxy's default ports, a health check on
    /// <c>/health</c>, the dashboard commands, and in run mode a loopback-only listener.
    /// </summary>
    private static IResourceBuilder<TProxy> WithProxyDefaults<TProxy>(this IResourceBuilder<TProxy> proxy, IDistributedApplicationBuilder builder)
        where TProxy : IRedisProxyResource
    {
        proxy.WithHttpEndpoint(port: 8989, name: RedisProxyResource.HttpEndpointName, env: "PROXY_PORT")
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

    private static IResourceBuilder<TProxy> WithCacheCommands<TProxy>(this IResourceBuilder<TProxy> proxy)
        where TProxy : IRedisProxyResource => proxy
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
