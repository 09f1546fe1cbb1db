using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Http;

/// <summary><c>GET /?keys=a,b,c</c>: every key's value and source in one reply, all misses in one MGET.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class BatchReadTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task Hits_come_from_the_cache_and_all_misses_from_one_mget()
    {
        string[] keys = [ProxyApp.UniqueKey("cached"), ProxyApp.UniqueKey("in-redis"), ProxyApp.UniqueKey("also-in-redis"), ProxyApp.UniqueKey("absent")];
        await proxy.Backend.StringSetAsync(keys[0], "zero");
        await proxy.Backend.StringSetAsync(keys[1], "one");
        await proxy.Backend.StringSetAsync(keys[2], "two");
        await proxy.GetJsonAsync($"/{keys[0]}");
        var mgetBefore = await BackendCommandStats.CallsAsync(proxy.BackendServer, "mget");
        var getBefore = await BackendCommandStats.CallsAsync(proxy.BackendServer, "get");

        var (status, body) = await proxy.GetJsonAsync($"/?keys={string.Join(',', keys)}");

        Assert.Equal(200, status);
        Assert.Equal(200, body.GetProperty("status_code").GetInt32());
        Assert.Equal(
            [(keys[0], "zero", "local"), (keys[1], "one", "redis"), (keys[2], "two", "redis"), (keys[3], null, "redis")],
            Results(body));
        Assert.Equal(1, await BackendCommandStats.CallsAsync(proxy.BackendServer, "mget") - mgetBefore);
        Assert.Equal(0, await BackendCommandStats.CallsAsync(proxy.BackendServer, "get") - getBefore);
    }

    [Fact]
    public async Task Values_read_by_a_batch_are_cached_and_a_batch_of_hits_does_not_touch_redis()
    {
        string[] keys = [ProxyApp.UniqueKey(), ProxyApp.UniqueKey()];
        await proxy.Backend.StringSetAsync(keys[0], "a");
        await proxy.Backend.StringSetAsync(keys[1], "b");
        await proxy.GetJsonAsync($"/?keys={keys[0]},{keys[1]}");
        var mgetBefore = await BackendCommandStats.CallsAsync(proxy.BackendServer, "mget");

        var (_, body) = await proxy.GetJsonAsync($"/?keys={keys[1]},{keys[0]}");

        Assert.Equal([(keys[1], "b", "local"), (keys[0], "a", "local")], Results(body));
        Assert.Equal(0, await BackendCommandStats.CallsAsync(proxy.BackendServer, "mget") - mgetBefore);
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{keys[0]}")).Body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Keys_with_commas_spaces_pluses_and_slashes_are_percent_encoded_items()
    {
        var tricky = ProxyApp.UniqueKey("a,b c+d/e");
        var plain = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(tricky, "tricky");
        await proxy.Backend.StringSetAsync(plain, "plain");

        var (_, body) = await proxy.GetJsonAsync($"/?keys={Uri.EscapeDataString(tricky)},{plain}");

        Assert.Equal([(tricky, "tricky", "redis"), (plain, "plain", "redis")], Results(body));
    }

    [Fact]
    public async Task Repeated_keys_parameters_add_up_and_duplicates_are_answered_in_place()
    {
        var key = ProxyApp.UniqueKey();
        var other = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "v");

        var (_, body) = await proxy.GetJsonAsync($"/?keys={key},{other}&keys={key}");

        Assert.Equal([(key, "v", "redis"), (other, null, "redis"), (key, "v", "redis")], Results(body));
    }

    [Fact]
    public async Task Binary_values_are_base64_in_a_batch()
    {
        var key = ProxyApp.UniqueKey();
        byte[] value = [0xff, 0x00, 0xfe];
        await proxy.Backend.StringSetAsync(key, value);

        var (_, body) = await proxy.GetJsonAsync($"/?keys={key}");

        var result = Assert.Single(body.GetProperty("results").EnumerateArray().ToArray());
        Assert.Equal("base64", result.GetProperty("encoding").GetString());
        Assert.Equal(value, result.GetProperty("value").GetBytesFromBase64());
    }

    [Theory]
    [InlineData("/?keys=")]
    [InlineData("/?keys=a,,b")]
    public async Task A_malformed_keys_list_is_400(string target)
    {
        using var response = await proxy.Http.GetAsync(target);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await ProxyApp.ReadJsonAsync(response);
        Assert.Equal(400, body.GetProperty("status_code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Invalid_percent_encoding_in_the_list_is_400()
    {
        // HttpClient would re-escape the stray '%', so this request goes over a plain socket as written.
        var reply = await RawHttp.SendAsync(proxy.App.GetEndpoint("api", "http"), "GET /?keys=good,bad%zz HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", reply, StringComparison.Ordinal);
        Assert.EndsWith("""{"error":"invalid percent-encoding in keys","status_code":400}""", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_in_the_list_longer_than_the_limit_is_414()
    {
        using var response = await proxy.Http.GetAsync($"/?keys=short,{new string('k', 1025)}");

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
    }

    [Fact]
    public async Task A_batch_takes_only_get_and_head()
    {
        using var response = await proxy.Http.PostAsync("/?keys=a", null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task The_root_without_keys_is_still_the_seeds_400()
    {
        var (status, body) = await proxy.GetJsonAsync("/?other=1");

        Assert.Equal(400, status);
        Assert.Equal("missing key: request GET /{key}", body.GetProperty("error").GetString());
    }

    private static (string Key, string? Value, string Source)[] Results(JsonElement body) =>
    [
        .. body.GetProperty("results").EnumerateArray().Select(result => (
            result.GetProperty("key").GetString()!,
            result.GetProperty("value").GetString(),
            result.GetProperty("source").GetString()!)),
    ];
}
