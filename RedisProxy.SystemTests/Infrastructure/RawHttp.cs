using System.Net.Sockets;
using System.Text;

namespace RedisProxy.SystemTests.Infrastructure;

/// <summary>Sends an HTTP request exactly as written, for targets that HttpClient would normalise.</summary>
public static class RawHttp
{
    public static async Task<string> SendAsync(Uri endpoint, string request)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
