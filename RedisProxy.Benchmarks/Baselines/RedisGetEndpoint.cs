using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace RedisProxy.Benchmarks.Baselines;

/// <summary>
/// The HTTP miss baseline: the plain way to put Redis behind HTTP. One StackExchange.Redis GET per request for
/// the key in the path, answered with the proxy's JSON shape through System.Text.Json; a PUT is one SET of its body,
/// answered as the proxy answers a PUT (bench/remote.sh sends writes too).
/// </summary>
internal static class RedisGetEndpoint
{
    public static async Task RunAsync(int port, string redisHost, int redisPort)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync($"{redisHost}:{redisPort}");
        var database = redis.GetDatabase();
        var app = BaselineServer.Create(port);
        app.Run(async context =>
        {
            var key = context.Request.Path.Value.AsSpan(1).ToString();
            if (HttpMethods.IsPut(context.Request.Method))
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                var written = body.ToArray();
                await database.StringSetAsync(key, written);
                await context.Response.WriteAsJsonAsync(
                    new BaselineWriteReply(key, Encoding.UTF8.GetString(written), StatusCodes.Status200OK), BaselineReplyJson.Default.BaselineWriteReply);
                return;
            }

            var value = await database.StringGetAsync(key);
            var status = value.IsNull ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new BaselineReply((string?)value, "redis", status), BaselineReplyJson.Default.BaselineReply);
        });
        await app.RunAsync();
    }
}
