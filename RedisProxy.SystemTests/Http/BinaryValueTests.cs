using System.Net;
using System.Net.Http.Headers;
using System.Text.Unicode;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Http;

/// <summary>Values are bytes: raw with Accept: application/octet-stream, base64 in JSON, never mangled either way.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class BinaryValueTests(DefaultProxyApp proxy)
{
    private const string OctetStream = "application/octet-stream";

    [Fact]
    public async Task Random_bytes_set_in_Redis_come_back_raw_from_redis_then_from_the_cache()
    {
        var key = ProxyApp.UniqueKey();
        var value = RandomBytes(seed: 7, length: 4096);
        await proxy.Backend.StringSetAsync(key, value);

        foreach (var expectedSource in new[] { "redis", "local" })
        {
            using var response = await GetRawAsync(key);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(OctetStream, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(expectedSource, Assert.Single(response.Headers.GetValues("X-Cache-Source")));
            Assert.Equal(value, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Random_bytes_put_through_the_proxy_land_in_Redis_intact_and_read_back_as_base64_json()
    {
        var key = ProxyApp.UniqueKey();
        var value = RandomBytes(seed: 11, length: 65_537);
        using var content = new ByteArrayContent(value);
        content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);

        using (var put = await proxy.Http.PutAsync($"/{key}", content))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal(value, (byte[]?)await proxy.Backend.StringGetAsync(key));
        var (status, body) = await proxy.GetJsonAsync($"/{key}");
        Assert.Equal(200, status);
        Assert.Equal("base64", body.GetProperty("encoding").GetString());
        Assert.Equal(value, body.GetProperty("value").GetBytesFromBase64());
        using var raw = await GetRawAsync(key);
        Assert.Equal(value, await raw.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Text_values_are_raw_utf8_bytes_too()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "é ключ 🚀");

        using var response = await GetRawAsync(key);

        Assert.Equal("é ключ 🚀"u8.ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_missing_key_stays_a_json_404_when_raw_bytes_are_asked_for()
    {
        using var response = await GetRawAsync(ProxyApp.UniqueKey());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"value":null,"source":"redis","status_code":404}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("application/json, application/octet-stream;q=0.5")]
    [InlineData("application/octet-stream;q=0.5, */*")]
    [InlineData("*/*")]
    [InlineData("text/plain")]
    public async Task Json_stays_the_answer_unless_raw_bytes_are_preferred(string accept)
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "v");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{key}");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await proxy.Http.SendAsync(request);

        Assert.Equal("""{"value":"v","source":"redis","status_code":200}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Raw_bytes_win_when_rated_above_json()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "v");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{key}");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;q=0.4, application/octet-stream");

        using var response = await proxy.Http.SendAsync(request);

        Assert.Equal(OctetStream, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("v"u8.ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<HttpResponseMessage> GetRawAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{key}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OctetStream));
        return await proxy.Http.SendAsync(request);
    }

    /// <summary>Random bytes from a fixed seed, checked to be invalid UTF-8 so they exercise the binary path.</summary>
    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        Assert.False(Utf8.IsValid(bytes));
        return bytes;
    }
}
