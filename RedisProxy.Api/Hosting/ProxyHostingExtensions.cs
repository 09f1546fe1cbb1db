using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Http;
using RedisProxy.Api.Invalidation;
using RedisProxy.Api.OpenApi;
using RedisProxy.Api.Resp;
using RedisProxy.Api.Status;

namespace RedisProxy.Api.Hosting;

/// <summary>Registers the proxy's services and listeners, and maps its front doors onto their ports.</summary>
internal static class ProxyHostingExtensions
{
    /// <summary>Adds the proxy; returns the settings it will run with, whose <c>Problems</c> say whether it can.</summary>
    public static ProxyOptions AddRedisProxy(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var settings = new ProxyOptions();
        ProxyOptionsReader.Read(configuration, settings);

        // Under the AppHost the connection string names the backend; standalone, the seed's variables do.
        configuration[$"ConnectionStrings:{BackendConnection.Name}"] = BackendConnection.ConnectionString(configuration, settings);

        builder.AddRedisClient(
            BackendConnection.Name,
            configureSettings: redis =>
            {
                // StackExchange.Redis's tracing keeps a profiling session per traced request until a periodic flush:
                // under load that is hundreds of MB. RedisBackend opens its own span per backend call instead.
                redis.DisableTracing = true;
                // Its health check pings this connection, which does not follow a Sentinel failover and needs admin
                // commands on a cluster; BackendHealthCheck pings the connection the proxy uses.
                redis.DisableHealthChecks = true;
            },
            configureOptions: redis =>
            {
                BackendConnection.Configure(redis, settings);
                SentinelPrimary.Pin(redis);
            });
        builder.Services.AddHealthChecks().AddCheck<BackendHealthCheck>(BackendConnection.Name);

        builder.Services.AddProxyCore(settings);
        builder.Services.AddSingleton<HttpFrontDoor>();
        builder.Services.AddHostedService<BackendConnectionLog>();
        // The backend's circuit breaker logs each state change itself and carries no Polly telemetry; any other Polly
        // pipeline (ServiceDefaults' HTTP client resilience) would log every failed call.
        builder.Logging.AddFilter("Polly", LogLevel.None);
        builder.Services.AddProxyOpenApi();
        builder.Services.AddRespFrontDoor();
        builder.Services.AddCacheInvalidation(settings);
        // On SIGTERM Kestrel stops accepting at once and in-flight requests get this long to finish.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.ShutdownTimeout);

        if (settings.InlineScheduling)
        {
            InlineSocketScheduling.Enable(builder, settings.IoThreads);
        }

        builder.WebHost.ConfigureKestrel(kestrel => ListenOnProxyPorts(kestrel, settings));
        return settings;
    }

    /// <summary>
    /// Keys are served on PROXY_PORT only; health endpoints and the OpenAPI document on PROXY_MANAGEMENT_PORT only, so
    /// neither shadows the other.
    /// </summary>
    public static WebApplication MapRedisProxy(this WebApplication app)
    {
        var httpPort = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.HttpPort;
        var frontDoor = app.Services.GetRequiredService<HttpFrontDoor>();
        app.MapWhen(context => context.Connection.LocalPort == httpPort, keys => keys.Run(frontDoor.HandleAsync));

        // Routing is added after the key branch, so it never runs for key requests.
        app.UseRouting();
        app.MapDefaultEndpoints();
        app.MapProxyOpenApi();
        app.MapProxyStatus();
        return app;
    }

    private static void ListenOnProxyPorts(KestrelServerOptions kestrel, ProxyOptions settings)
    {
        kestrel.AddServerHeader = false;
        LimitHttpRequests(kestrel.Limits, settings);
        var address = settings.ListenIPAddress;
        kestrel.Listen(address, settings.HttpPort);
        kestrel.Listen(address, settings.ManagementPort);
        kestrel.ListenForRedisClients(address, settings);
    }

    /// <summary>
    /// Kestrel's limits, set from the settings rather than left implicit: they are what stops a slow or oversized
    /// request. Kestrel enforces them before the proxy sees the request, so a 408 or 431 is Kestrel's own plain
    /// reply; a body over MAX_VALUE_BYTES surfaces while the PUT reads it, and the front door answers 413 in JSON.
    /// </summary>
    internal static void LimitHttpRequests(KestrelServerLimits limits, ProxyOptions settings)
    {
        limits.RequestHeadersTimeout = settings.HttpHeadersTimeout;
        limits.KeepAliveTimeout = settings.HttpKeepAliveTimeout;
        limits.MaxRequestHeadersTotalSize = settings.HttpMaxHeaderBytes;
        limits.MaxRequestBodySize = settings.MaxValueBytes;
        limits.MinRequestBodyDataRate = settings.HttpMinBodyBytesPerSecond == 0
            ? null
            : new MinDataRate(settings.HttpMinBodyBytesPerSecond, TimeSpan.FromSeconds(5));
    }
}
