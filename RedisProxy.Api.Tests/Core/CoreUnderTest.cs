using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Core;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Tests.Core;

/// <summary>A <see cref="CachingProxy"/> over a <see cref="FakeBackend"/>, with the settings a test asks for.</summary>
internal sealed class CoreUnderTest : IDisposable
{
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public CoreUnderTest(int slots = 11, int queued = 1000, int timeoutMilliseconds = 5000, int capacity = 100, int expirySeconds = 3600)
    {
        var settings = Options.Create(new ProxyOptions
        {
            MaxConcurrentRequests = slots,
            MaxQueuedRequests = queued,
            BackendTimeout = TimeSpan.FromMilliseconds(timeoutMilliseconds),
            CacheCapacity = capacity,
            CacheExpiry = TimeSpan.FromSeconds(expirySeconds),
        });
        Backend = new FakeBackend(Time);
        Gate = new BackendGate(settings);
        Proxy = new CachingProxy(settings, Backend, Gate, new ProxyMetrics(_meters.GetRequiredService<IMeterFactory>()), Time);
    }

    public FakeBackend Backend { get; }

    public FakeTimeProvider Time { get; } = new();

    public BackendGate Gate { get; }

    public CachingProxy Proxy { get; }

    /// <summary>The value the proxy answers for the key, and where from; null when absent.</summary>
    public async Task<(string? Value, ReadSource Source)> ReadAsync(string key) => await ReadAsync(key, 0);

    public async Task<(string? Value, ReadSource Source)> ReadAsync(string key, int database)
    {
        var read = await Proxy.GetAsync(FakeBackend.Bytes(key), database, FrontDoor.Resp, CancellationToken.None);
        return (read.Found ? FakeBackend.Text(read.Value.Span) : null, read.Source);
    }

    public Task WriteAsync(string key, string value, TimeSpan? timeToLive = null, int database = 0) =>
        Proxy.SetAsync(FakeBackend.Bytes(key), database, FakeBackend.Bytes(value), timeToLive ?? Timeout.InfiniteTimeSpan, FrontDoor.Resp, CancellationToken.None);

    /// <summary>Whether the cache holds the key, without counting a hit or reading through.</summary>
    public bool IsCached(string key, int database = 0) =>
        Proxy.Describe(database).KeysLeastRecentFirst.Any(k => FakeBackend.Text(k) == key);

    public void Dispose()
    {
        Gate.Dispose();
        _meters.Dispose();
    }
}
