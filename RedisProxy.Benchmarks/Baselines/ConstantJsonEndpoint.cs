using Microsoft.AspNetCore.Builder;

namespace RedisProxy.Benchmarks.Baselines;

/// <summary>
/// The HTTP hit baseline: answers every request with one constant JSON body read from a file at start
/// (the load script saves the proxy's own hit reply there, so both send the same bytes).
/// </summary>
internal static class ConstantJsonEndpoint
{
    public static async Task RunAsync(int port, string bodyFile)
    {
        var body = await File.ReadAllBytesAsync(bodyFile);
        var app = BaselineServer.Create(port);
        app.Run(context =>
        {
            var response = context.Response;
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
        await app.RunAsync();
    }
}
