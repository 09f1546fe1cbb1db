var builder = DistributedApplication.CreateBuilder(args);

// The backing Redis: a container where an engine answers (and always in deployment manifests),
// otherwise an embedded Garnet server or redis-server. See BackingRedis.cs and the README.
var redis = builder.AddBackingRedis("redis");

var cacheCapacity = builder.AddParameter("cache-capacity", "1500", publishValueAsDefault: true);
var cacheExpiry = builder.AddParameter("cache-expiry", "3600", publishValueAsDefault: true);
var maxConcurrentRequests = builder.AddParameter("max-concurrent-requests", "11", publishValueAsDefault: true);

builder.AddProject<Projects.RedisProxy_Api>("api")
    .WithProxyEndpoints()
    .WithEnvironment("CACHE_CAPACITY", cacheCapacity)
    .WithEnvironment("CACHE_EXPIRY", cacheExpiry)
    .WithEnvironment("MAX_CONCURRENT_REQUESTS", maxConcurrentRequests)
    .WithReference(redis).WaitFor(redis);

builder.Build().Run();
