using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Invalidation;

/// <summary>Registers cache invalidation as CACHE_INVALIDATION asks: its state always, the tracking listener when on.</summary>
internal static class InvalidationServiceExtensions
{
    public static IServiceCollection AddCacheInvalidation(this IServiceCollection services, ProxyOptions settings)
    {
        services.AddSingleton(new CacheInvalidationState(settings.CacheInvalidation));
        if (settings.CacheInvalidation == CacheInvalidationMode.Tracking)
        {
            services.AddHostedService<TrackingInvalidationService>();
        }

        return services;
    }
}
