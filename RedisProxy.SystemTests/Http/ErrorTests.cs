using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Http;

/// <summary>Every error is JSON with status_code and error, and the proxy keeps serving after it.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class ErrorTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task Get_of_the_root_is_400()
    {
        await AssertErrorAsync(HttpMethod.Get, "/", HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    public async Task Other_methods_on_a_key_are_405_with_allow(string method)
    {
        var (response, _) = await AssertErrorAsync(new HttpMethod(method), $"/{ProxyApp.UniqueKey()}", HttpStatusCode.MethodNotAllowed);
        using (response)
        {
            Assert.Equal(["GET", "HEAD", "PUT", "DELETE"], response.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task A_key_longer_than_the_limit_is_414()
    {
        await AssertErrorAsync(HttpMethod.Get, "/" + new string('k', 1025), HttpStatusCode.RequestUriTooLong);
    }

    [Fact]
    public async Task Invalid_percent_encoding_is_400()
    {
        // HttpClient would re-escape the stray '%', so this request goes over a plain socket as written.
        var reply = await RawHttp.SendAsync(proxy.App.GetEndpoint("api", "http"), "GET /bad%zzkey HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", reply, StringComparison.Ordinal);
        Assert.EndsWith("""{"error":"invalid percent-encoding in the key","status_code":400}""", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("hash")]
    [InlineData("set")]
    public async Task A_key_of_another_type_is_409_naming_the_type(string type)
    {
        var key = ProxyApp.UniqueKey();
        switch (type)
        {
            case "list": await proxy.Backend.ListRightPushAsync(key, "x"); break;
            case "hash": await proxy.Backend.HashSetAsync(key, "f", "x"); break;
            default: await proxy.Backend.SetAddAsync(key, "x"); break;
        }

        var (response, body) = await AssertErrorAsync(HttpMethod.Get, $"/{key}", HttpStatusCode.Conflict);
        response.Dispose();
        Assert.Contains(type, body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_with_a_body_is_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{ProxyApp.UniqueKey()}") { Content = new StringContent("unexpected") };
        using var response = await proxy.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> AssertErrorAsync(HttpMethod method, string path, HttpStatusCode expected)
    {
        var response = await proxy.Http.SendAsync(new HttpRequestMessage(method, path));
        Assert.Equal(expected, response.StatusCode);
        var body = await ProxyApp.ReadJsonAsync(response);
        Assert.Equal((int)expected, body.GetProperty("status_code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));

        Assert.Equal("""{"ping":"OK","status_code":200}""", await proxy.Http.GetStringAsync("/ping"));
        return (response, body);
    }
}
