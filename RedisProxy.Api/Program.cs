using RedisProxy.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var settings = builder.AddRedisProxy();
if (settings.Problems.Count > 0)
{
    Console.Error.WriteLine($"RedisProxy cannot start: {string.Join(" ", settings.Problems)}");
    return 2;
}

var app = builder.Build();
app.MapRedisProxy();
await app.RunAsync();
return 0;
