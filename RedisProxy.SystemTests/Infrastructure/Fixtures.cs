namespace RedisProxy.SystemTests.Infrastructure;

/// <summary>The AppHost with its defaults over redis-server: shared by the tests that need nothing special.</summary>
public sealed class DefaultProxyApp : ProxyApp;

/// <summary>A cache of three entries, to watch LRU eviction.</summary>
public sealed class SmallCacheProxyApp : ProxyApp
{
    protected override IEnumerable<string> AppHostArguments => ["--Parameters:cache-capacity=3"];
}

/// <summary>A one-second expiry, to watch entries expire.</summary>
public sealed class ShortExpiryProxyApp : ProxyApp
{
    protected override IEnumerable<string> AppHostArguments => ["--Parameters:cache-expiry=1"];
}

/// <summary>One backend slot and one queue place, a generous timeout: to watch the concurrency limit.</summary>
public sealed class SingleSlotProxyApp : ProxyApp
{
    protected override IEnumerable<string> AppHostArguments => ["--Parameters:max-concurrent-requests=1"];

    protected override IReadOnlyDictionary<string, string> ApiEnvironment => new Dictionary<string, string>
    {
        ["MAX_QUEUED_REQUESTS"] = "1",
        ["BACKEND_TIMEOUT_MS"] = "5000",
    };
}

/// <summary>The embedded Garnet backend, so the no-prerequisites mode keeps working.</summary>
public sealed class GarnetProxyApp : ProxyApp
{
    protected override string RedisMode => "garnet";
}

[CollectionDefinition(Name)]
public sealed class DefaultProxyCollection : ICollectionFixture<DefaultProxyApp>
{
    public const string Name = "default proxy";
}

/// <summary>Two backend slots, a queue of ten and a short backend timeout: to watch a slow backend.</summary>
public sealed class SlowBackendProxyApp : ProxyApp
{
    protected override IEnumerable<string> AppHostArguments => ["--Parameters:max-concurrent-requests=2"];

    protected override IReadOnlyDictionary<string, string> ApiEnvironment => new Dictionary<string, string>
    {
        ["MAX_QUEUED_REQUESTS"] = "10",
        ["BACKEND_TIMEOUT_MS"] = "500",
    };
}
