using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace RedisProxy.SystemTests.Reliability;

/// <summary>
/// Slow-loris and oversized requests over HTTP. Kestrel's limits (set from HTTP_HEADERS_TIMEOUT_SECONDS,
/// HTTP_MAX_HEADER_BYTES and MAX_VALUE_BYTES) turn them away, each costing only its own connection; the server goes
/// on serving everyone else.
/// </summary>
public sealed class HttpSlowAndOversizedRequestTests(HttpLimitsProxy proxy) : IClassFixture<HttpLimitsProxy>
{
    [Fact]
    public async Task A_client_trickling_its_headers_past_the_timeout_is_cut_off_while_others_are_served()
    {
        using var bystander = new HttpClient { BaseAddress = proxy.Api.HttpAddress };
        using var loris = new TcpClient { NoDelay = true };
        await loris.ConnectAsync(IPAddress.Loopback, proxy.Api.HttpPort);
        var stream = loris.GetStream();
        var closed = ReadUntilClosedAsync(stream);

        // A header that never ends: one byte every 200 ms, at most 25 bytes (5 s) in all.
        var request = Encoding.ASCII.GetBytes("GET /loris HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + new string('z', 100));
        var sent = 0;
        while (sent < 25 && !closed.IsCompleted)
        {
            try
            {
                await stream.WriteAsync(request.AsMemory(sent, 1));
            }
            catch (IOException)
            {
                break;
            }

            sent++;
            using (var response = await bystander.GetAsync("/ping"))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        Assert.True(sent < 25, $"still connected after {sent} bytes");
        var answer = await closed;
        // Kestrel's own reply, sent before the proxy ever sees the request.
        Assert.StartsWith("HTTP/1.1 408 Request Timeout", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_100_KB_header_gets_431_from_kestrel_and_the_server_keeps_serving()
    {
        using var http = new HttpClient { BaseAddress = proxy.Api.HttpAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/huge-header");
        request.Headers.Add("X-Huge", new string('h', 100 * 1024));

        using (var response = await http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        }

        using var ping = await http.GetAsync("/ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task A_put_body_over_MAX_VALUE_BYTES_gets_413_json_and_the_value_is_not_written()
    {
        using var http = new HttpClient { BaseAddress = proxy.Api.HttpAddress };

        using (var response = await http.PutAsync("/too-big", new ByteArrayContent(new byte[HttpLimitsProxy.MaxValueBytes + 1])))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(413, json.RootElement.GetProperty("status_code").GetInt32());
        }

        using (var missing = await http.GetAsync("/too-big"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // A body of exactly the limit is a value like any other.
        using var atLimit = await http.PutAsync("/at-limit", new ByteArrayContent(new byte[HttpLimitsProxy.MaxValueBytes]));
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
    }

    private static async Task<string> ReadUntilClosedAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                // A reset is a close too.
                return received.ToString();
            }

            if (read == 0)
            {
                return received.ToString();
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}
