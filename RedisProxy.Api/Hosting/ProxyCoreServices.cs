using Microsoft.Extensions.Options;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Backend.Pinned;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Core;
using RedisProxy.Api.Security;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Hosting;

/// <summary>
/// The core both front doors share: the settings, backend, concurrency gate, metrics and <see cref="CachingProxy"/>
/// (which holds the cache). It expects an <see cref="StackExchange.Redis.IConnectionMultiplexer"/>, logging and
/// metrics to be registered by the host.
/// </summary>
internal static class ProxyCoreServices
{
    /// <param name="settings">Read once by <see cref="ProxyOptionsReader"/>; every consumer gets this one instance.</param>
    public static IServiceCollection AddProxyCore(this IServiceCollection services, ProxyOptions settings)
    {
        services.AddSingleton(Options.Create(settings));
        services.AddSingleton(TimeProvider.System);
        services.AddBackendResilience();
        services.AddActivatedSingleton<BackendConnections>();
        services.AddSingleton(provider => new ClusterSlots(provider.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>()));
        services.AddSingleton<IRedisBackend, RedisBackend>();
        services.AddSingleton<BackendCommands>();
        services.AddSingleton<PinnedConnectionPool>();
        services.AddSingleton<BackendGate>();
        services.AddSingleton<ProxyMetrics>();
        services.AddSingleton(new HitSampler(settings.TraceHitsOneIn));
        services.AddSingleton<CachingProxy>();
        services.AddActivatedSingleton<CoreGauges>();
        services.AddActivatedSingleton<PrimarySwitch>();
        services.AddSingleton<ClientPassword>();
        return services;
    }
}
