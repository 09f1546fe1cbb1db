using RedisProxy.Api.Hosting;
using RedisProxy.Api.Telemetry;

// appsettings.json sits beside the assembly; the content root is there too, wherever the API is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults(ProxyTelemetry.Name);
var settings = builder.AddRedisProxy();
if (settings.Problems.Count > 0)
{
    Console.Error.WriteLine($"RedisProxy cannot start: {string.Join(" ", settings.Problems)}");
    return 2;
}

var app = builder.Build();
app.MapRedisProxy();
try
{
    await app.RunAsync();
}
catch (Exception e) when (ListenFailure.Is(e))
{
    Console.Error.WriteLine(ListenFailure.Describe(e, settings));
    return 1;
}

return 0;
