using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Clients;

/// <summary>
/// ASP.NET Core's distributed cache (Microsoft.Extensions.Caching.StackExchangeRedis) and HybridCache over it, pointed
/// at the proxy with no change: entries, absolute and sliding expiry, refresh and removal behave as on Redis, and what
/// they store is in Redis.
/// </summary>
public sealed class DistributedCacheTests(ClientsProxy proxy) : IClassFixture<ClientsProxy>, IAsyncLifetime
{
    private ServiceProvider? _services;
    private ConnectionMultiplexer? _redis;

    private IDistributedCache Cache => _services!.GetRequiredService<IDistributedCache>();

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddStackExchangeRedisCache(options => options.Configuration = proxy.ConnectionString)
            .BuildServiceProvider();
        _redis = await ConnectionMultiplexer.ConnectAsync(proxy.Redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _redis?.Dispose();
    }

    [Fact]
    public async Task An_entry_is_stored_in_redis_read_back_and_removed()
    {
        var key = $"dc-{Guid.NewGuid():N}";

        await Cache.SetStringAsync(key, "cached page", new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });

        Assert.Equal("cached page", await Cache.GetStringAsync(key));
        Assert.True(await _redis!.GetDatabase().KeyExistsAsync(key));
        await Cache.RemoveAsync(key);
        Assert.Null(await Cache.GetStringAsync(key));
        Assert.False(await _redis.GetDatabase().KeyExistsAsync(key));
    }

    [Fact]
    public async Task Absolute_expiry_ends_the_entry_in_redis_and_through_the_proxy()
    {
        var key = $"dc-{Guid.NewGuid():N}";

        await Cache.SetStringAsync(key, "short", new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(2) });
        Assert.Equal("short", await Cache.GetStringAsync(key));

        await Eventually.MatchesAsync(() => _redis!.GetDatabase().KeyExistsAsync(key), exists => !exists, TimeSpan.FromSeconds(10), "Redis to expire the entry");
        Assert.Null(await Cache.GetStringAsync(key));
    }

    [Fact]
    public async Task Sliding_expiry_is_renewed_by_a_refresh()
    {
        var key = $"dc-{Guid.NewGuid():N}";
        await Cache.SetStringAsync(key, "sliding", new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(100) });
        var database = _redis!.GetDatabase();
        await database.KeyExpireAsync(key, TimeSpan.FromSeconds(30));

        await Cache.RefreshAsync(key);

        Assert.InRange(await database.KeyTimeToLiveAsync(key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(100));
        Assert.Equal("sliding", await Cache.GetStringAsync(key));
    }

    [Fact]
    public async Task HybridCache_over_the_proxy_stores_in_redis_and_a_fresh_instance_reads_it_back()
    {
        var key = $"hc-{Guid.NewGuid():N}";
        var calls = 0;

        using var first = HybridServices();
        var created = await first.GetRequiredService<HybridCache>().GetOrCreateAsync(key, _ => ValueTask.FromResult($"made {++calls}"));
        // HybridCache writes its second level in the background, after it has answered the caller.
        await Eventually.MatchesAsync(() => _redis!.GetDatabase().KeyExistsAsync(key), exists => exists, TimeSpan.FromSeconds(10), "HybridCache to write the entry to Redis");
        using var second = HybridServices();
        var readBack = await second.GetRequiredService<HybridCache>().GetOrCreateAsync(key, _ => ValueTask.FromResult($"made {++calls}"));

        Assert.Equal("made 1", created);
        Assert.Equal("made 1", readBack);
        Assert.Equal(1, calls);
        Assert.True(await _redis!.GetDatabase().KeyExistsAsync(key));

        await second.GetRequiredService<HybridCache>().RemoveAsync(key);
        Assert.False(await _redis.GetDatabase().KeyExistsAsync(key));
    }

    /// <summary>An application's services: HybridCache with the distributed cache over the proxy as its second level.</summary>
    private ServiceProvider HybridServices()
    {
        var services = new ServiceCollection().AddStackExchangeRedisCache(options => options.Configuration = proxy.ConnectionString);
        services.AddHybridCache();
        return services.BuildServiceProvider();
    }
}
