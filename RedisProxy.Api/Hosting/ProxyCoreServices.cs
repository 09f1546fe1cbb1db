using Microsoft.Extensions.Options;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Core;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Hosting;

/// <summary>
/// The core both front doors share: settings, cache, backend, concurrency gate and metrics. It expects an
/// <see cref="StackExchange.Redis.IConnectionMultiplexer"/>, logging and metrics to be registered by the host.
/// </summary>
internal static class ProxyCoreServices
{
    public static IServiceCollection AddProxyCore(this IServiceCollection services, IConfiguration configuration, ProxyOptions settings)
    {
        services.AddOptions<ProxyOptions>()
            .Configure(options => ProxyOptionsReader.Read(configuration, options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new LruCache(
            settings.CacheCapacity, settings.CacheExpiry, provider.GetRequiredService<TimeProvider>(),
            settings.CacheMaxBytes, settings.CacheMaxValueBytes));
        services.AddBackendResilience();
        services.AddSingleton<RedisBackend>();
        services.AddSingleton<BackendGate>();
        services.AddSingleton<MissFetcher>();
        services.AddSingleton<ProxyMetrics>();
        services.AddSingleton<CachingProxy>();
        services.AddSingleton<ClientPassword>();
        return services;
    }
}
