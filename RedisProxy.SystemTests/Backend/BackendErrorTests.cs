using System.Net;
using RedisProxy.SystemTests.Infrastructure;
using RedisProxy.SystemTests.Resp;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Backend;

/// <summary>
/// A backend that answers a command with an error of its own (here: an ACL user without GET) is a 502 over HTTP and an
/// error reply over RESP, naming what Redis said; the RESP connection goes on, and other commands keep working.
/// </summary>
public sealed class BackendErrorTests
{
    [Fact]
    public async Task A_command_the_backend_refuses_is_a_502_or_an_error_reply_with_its_reason_and_the_connection_goes_on()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "no-get", "on", ">pw", "~*", "&*", "+@all", "-get");
            await admin.GetDatabase().StringSetAsync("refused", "value");
        }

        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string>
        {
            ["REDIS_USER"] = "no-get",
            ["REDIS_PASSWORD"] = "pw",
        });
        await api.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = api.HttpAddress };

        using var response = await http.GetAsync("/refused");
        var body = await ProxyApp.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(502, body.GetProperty("status_code").GetInt32());
        Assert.StartsWith("the backend refused the command: NOPERM", body.GetProperty("error").GetString(), StringComparison.Ordinal);

        await using var raw = await RawResp.OpenAsync(api.RespEndpoint);
        await raw.SendAsync(RawResp.Frame("GET", "refused") + RawResp.Frame("SET", "allowed", "yes") + "PING\r\n");
        var replies = await raw.ReadRepliesAsync(3);
        Assert.StartsWith("-ERR the backend refused the command: NOPERM", replies[0], StringComparison.Ordinal);
        Assert.Equal(["+OK\r\n", "+PONG\r\n"], replies[1..]);
    }
}
