using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace RedisProxy.Benchmarks.Baselines;

/// <summary>
/// The HTTP miss baseline: the plain way to put Redis behind HTTP. One StackExchange.Redis GET per request for
/// the key in the path, answered with the proxy's JSON shape through System.Text.Json.
/// </summary>
internal static class RedisGetEndpoint
{
    public static async Task RunAsync(int port, int redisPort)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redisPort}");
        var database = redis.GetDatabase();
        var app = BaselineServer.Create(port);
        app.Run(async context =>
        {
            var key = context.Request.Path.Value.AsSpan(1).ToString();
            var value = await database.StringGetAsync(key);
            var status = value.IsNull ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new BaselineReply((string?)value, "redis", status), BaselineReplyJson.Default.BaselineReply);
        });
        await app.RunAsync();
    }
}
