using RedisProxy.Api.Hosting;
using RedisProxy.Api.Telemetry;

if (CommandLine.WantsHelp(args))
{
    Console.Write(CommandLine.Usage());
    return 0;
}

if (CommandLine.FirstUnknown(args) is { } unknown)
{
    return CannotStart($"unknown option '{unknown}' (redis-proxy --help lists them).", exitCode: 2);
}

// appsettings.json sits beside the assembly; the content root is there too, wherever the API is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, CommandLine.SwitchMappings);
builder.AddServiceDefaults(ProxyTelemetry.Name);
var settings = builder.AddRedisProxy();
if (settings.Problems.Count > 0)
{
    return CannotStart(string.Join(" ", settings.Problems), exitCode: 2);
}

if (ListenFailure.FindUnavailablePort(settings) is { } unavailable)
{
    return CannotStart(unavailable, exitCode: 1);
}

var app = builder.Build();
app.MapRedisProxy();
try
{
    await app.RunAsync();
}
catch (Exception e) when (ListenFailure.Is(e))
{
    return CannotStart(ListenFailure.Describe(e, settings), exitCode: 1);
}

return 0;

// One line on standard error, the same start for every reason: 2 for bad settings, 1 for a port that cannot be had.
static int CannotStart(string why, int exitCode)
{
    Console.Error.WriteLine($"RedisProxy cannot start: {why}");
    return exitCode;
}
