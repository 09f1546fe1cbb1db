using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace RedisProxy.Benchmarks.Baselines;

/// <summary>
/// The host both HTTP baselines share: Kestrel on 127.0.0.1 with the proxy's settings that shape a reply
/// (no Server header), no logging providers and no middleware, so each baseline is one terminal handler.
/// </summary>
internal static class BaselineServer
{
    public static WebApplication Create(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        return builder.Build();
    }
}
