using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Core;

namespace RedisProxy.Api.Resp;

/// <summary>Registers the RESP front door's services and its Kestrel listener.</summary>
internal static class RespFrontDoorExtensions
{
    public static IServiceCollection AddRespFrontDoor(this IServiceCollection services) =>
        services.AddSingleton<RespClients>()
            .AddSingleton<RespServerContext>();

    /// <summary>Listens for Redis clients on PROXY_RESP_PORT, unless it is 0.</summary>
    public static void ListenForRedisClients(this KestrelServerOptions kestrel, IPAddress address, ProxyOptions settings)
    {
        if (settings.RespPort != 0)
        {
            kestrel.Listen(address, settings.RespPort, listen => listen.UseConnectionHandler<RespConnectionHandler>());
        }
    }
}
