var builder = DistributedApplication.CreateBuilder(args);

// The backing Redis: a container where an engine answers (and always in deployment manifests),
// otherwise an embedded Garnet server or redis-server. See BackingRedis.cs and the README.
var redis = builder.AddBackingRedis("redis");

var cacheCapacity = builder.AddSetting("cache-capacity", "1500");
var cacheExpiry = builder.AddSetting("cache-expiry", "3600");
var maxConcurrentRequests = builder.AddSetting("max-concurrent-requests", "11");
var cacheInvalidation = builder.AddSetting("cache-invalidation", "off");

// One or more proxies (api-replicas) behind the same ports, over one Redis. See ProxyReplicas.cs.
builder.AddProject<Projects.RedisProxy_Api>("api")
    .WithProxyEndpoints()
    .WithCacheCommands()
    .WithReplicasSetting()
    .WithClientPasswordSetting()
    .WithEnvironment("CACHE_CAPACITY", cacheCapacity)
    .WithEnvironment("CACHE_EXPIRY", cacheExpiry)
    .WithEnvironment("MAX_CONCURRENT_REQUESTS", maxConcurrentRequests)
    .WithEnvironment("CACHE_INVALIDATION", cacheInvalidation)
    .WithReference(redis).WaitFor(redis);

builder.Build().Run();
