var builder = DistributedApplication.CreateBuilder(args);

// The backing Redis: a container where an engine answers (and always in deployment manifests),
// otherwise an embedded Garnet server or redis-server. See BackingRedis.cs and the README.
var redis = builder.AddBackingRedis("redis");

var cacheCapacity = builder.AddSetting("cache-capacity", "1500");
var cacheExpiry = builder.AddSetting("cache-expiry", "3600");
var maxConcurrentRequests = builder.AddSetting("max-concurrent-requests", "11");
var cacheInvalidation = builder.AddSetting("cache-invalidation", "off");

// One or more proxies (api-replicas) behind the same ports, over one Redis, through the hosting integration that
// any AppHost can use (RedisProxy.Hosting). See ProxyReplicas.cs.
builder.AddRedisProxy<Projects.RedisProxy_Api>("api")
    .WithBackend(redis)
    .WithReplicasSetting()
    .WithClientPasswordSetting()
    .WithCacheCapacity(cacheCapacity)
    .WithCacheExpiry(cacheExpiry)
    .WithMaxConcurrentRequests(maxConcurrentRequests)
    .WithInvalidation(cacheInvalidation);

builder.Build().Run();
