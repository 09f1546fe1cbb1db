using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Hosting;
using RedisProxy.Api.Resp;
using StackExchange.Redis;

namespace RedisProxy.Api.Tests.Telemetry;

/// <summary>The proxy core's services, and its RESP front door's, over a real redis-server, read from the given settings as the host reads them.</summary>
internal static class CoreServices
{
    public static ServiceProvider Build(IConnectionMultiplexer connection, Dictionary<string, string?> settings)
    {
        // What is measured is counts and spans, not speed: a busy machine must not turn into timeouts.
        settings.TryAdd("BACKEND_TIMEOUT_MS", "10000");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new ProxyOptions();
        ProxyOptionsReader.Read(configuration, options);
        return new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(connection)
            .AddSingleton<IConfiguration>(configuration)
            .AddProxyCore(options)
            .AddRespFrontDoor()
            .BuildServiceProvider();
    }
}
