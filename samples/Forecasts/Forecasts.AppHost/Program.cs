var builder = DistributedApplication.CreateBuilder(args);

// Any Redis, named by ConnectionStrings:redis (e.g. --ConnectionStrings:redis=localhost:6379); with a container
// engine, builder.AddRedis("redis") works the same.
var redis = builder.AddConnectionString("redis");

// The proxy in front of it; the app references the proxy exactly as it would reference Redis.
var cache = builder.AddRedisProxy<Projects.RedisProxy_Api>("cache")
    .WithBackend(redis)
    .WithCacheCapacity(10_000);

builder.AddProject<Projects.Forecasts_Api>("forecasts")
    .WithReference(cache)
    .WaitFor(cache);

builder.Build().Run();
