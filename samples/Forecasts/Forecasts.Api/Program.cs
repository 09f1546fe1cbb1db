using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

// "cache" is whatever the AppHost names so; nothing here knows it is a proxy rather than Redis itself.
builder.AddRedisClient("cache");
builder.Services.AddStackExchangeRedisCache(_ => { });
builder.Services.AddOptions<RedisCacheOptions>()
    .Configure<IConnectionMultiplexer>((options, redis) => options.ConnectionMultiplexerFactory = () => Task.FromResult(redis));
builder.Services.AddHybridCache();

var app = builder.Build();
app.MapDefaultEndpoints();

// Made once per city and kept by HybridCache: in this process's memory and, through the proxy, in Redis.
app.MapGet("/forecasts/{city}", async (string city, HybridCache cache, CancellationToken cancellationToken) =>
    await cache.GetOrCreateAsync($"forecast:{city}", token => ValueTask.FromResult(Forecast.For(city)), cancellationToken: cancellationToken));

// Plain Redis reads and writes: a repeated read is answered from the proxy's cache.
app.MapPut("/notes/{name}", async (string name, HttpRequest request, IConnectionMultiplexer redis) =>
{
    using var reader = new StreamReader(request.Body);
    await redis.GetDatabase().StringSetAsync($"note:{name}", await reader.ReadToEndAsync());
    return Results.NoContent();
});
app.MapGet("/notes/{name}", async (string name, IConnectionMultiplexer redis) =>
    await redis.GetDatabase().StringGetAsync($"note:{name}") is { HasValue: true } note ? Results.Text(note.ToString()) : Results.NotFound());

app.Run();

internal sealed record Forecast(string City, string Summary, DateTimeOffset MadeAt)
{
    private static readonly string[] Summaries = ["Freezing", "Chilly", "Mild", "Warm", "Hot"];

    public static Forecast For(string city) => new(city, Summaries[Random.Shared.Next(Summaries.Length)], DateTimeOffset.UtcNow);
}
