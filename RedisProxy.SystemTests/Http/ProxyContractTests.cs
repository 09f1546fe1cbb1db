using System.Net;
using System.Text;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Http;

/// <summary>The HTTP contract of GET and PUT on keys, through the whole AppHost over redis-server.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class ProxyContractTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task A_key_in_Redis_is_read_through_and_then_served_locally()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "value-1");

        Assert.Equal("""{"value":"value-1","source":"redis","status_code":200}""", await proxy.Http.GetStringAsync($"/{key}"));
        Assert.Equal("""{"value":"value-1","source":"local","status_code":200}""", await proxy.Http.GetStringAsync($"/{key}"));
    }

    [Fact]
    public async Task A_key_Redis_lacks_is_404_from_redis_and_is_not_cached()
    {
        var key = ProxyApp.UniqueKey();
        using var response = await proxy.Http.GetAsync($"/{key}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"value":null,"source":"redis","status_code":404}""", await response.Content.ReadAsStringAsync());

        await proxy.Backend.StringSetAsync(key, "now-present");
        var (status, body) = await proxy.GetJsonAsync($"/{key}");
        Assert.Equal(200, status);
        Assert.Equal("now-present", body.GetProperty("value").GetString());
        Assert.Equal("redis", body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Put_writes_through_to_Redis_and_the_cache_serves_the_new_value()
    {
        var key = ProxyApp.UniqueKey();
        var (status, body) = await proxy.PutAsync($"/{key}", "written");

        Assert.Equal(200, status);
        Assert.Equal(key, body.GetProperty("key").GetString());
        Assert.Equal("written", body.GetProperty("value").GetString());
        Assert.Equal(200, body.GetProperty("status_code").GetInt32());
        Assert.Equal("written", (string?)await proxy.Backend.StringGetAsync(key));
        Assert.Equal("""{"value":"written","source":"local","status_code":200}""", await proxy.Http.GetStringAsync($"/{key}"));
    }

    [Fact]
    public async Task Put_over_a_cached_key_replaces_the_cached_value()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "old");
        Assert.Equal("redis", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("source").GetString());

        await proxy.PutAsync($"/{key}", "new");

        var (_, body) = await proxy.GetJsonAsync($"/{key}");
        Assert.Equal("new", body.GetProperty("value").GetString());
        Assert.Equal("local", body.GetProperty("source").GetString());
        Assert.Equal("new", (string?)await proxy.Backend.StringGetAsync(key));
    }

    [Fact]
    public async Task Percent_encoded_paths_name_the_same_key_and_2F_is_a_slash_inside_the_key()
    {
        var key = ProxyApp.UniqueKey("user:1000/profile");
        await proxy.Backend.StringSetAsync(key, "alice");

        var encoded = Uri.EscapeDataString(key);
        Assert.Contains("%2F", encoded, StringComparison.Ordinal);
        Assert.Equal("alice", (await proxy.GetJsonAsync($"/{encoded}")).Body.GetProperty("value").GetString());
        var colonOnly = encoded.Replace("%3A", ":", StringComparison.Ordinal);
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{colonOnly}")).Body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Values_are_json_escaped_and_non_ascii_keys_and_values_round_trip()
    {
        var key = ProxyApp.UniqueKey("clé-ключ");
        const string value = "quote \" backslash \\ newline \n tab \t control \u0001 unicode é ключ 🚀";
        await proxy.Backend.StringSetAsync(key, value);

        var (status, body) = await proxy.GetJsonAsync($"/{Uri.EscapeDataString(key)}");

        Assert.Equal(200, status);
        Assert.Equal(value, body.GetProperty("value").GetString());
    }

    [Fact]
    public async Task An_empty_string_is_a_value_not_a_miss()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "");

        Assert.Equal("""{"value":"","source":"redis","status_code":200}""", await proxy.Http.GetStringAsync($"/{key}"));
        Assert.Equal("""{"value":"","source":"local","status_code":200}""", await proxy.Http.GetStringAsync($"/{key}"));
    }

    [Fact]
    public async Task Values_of_several_mebibytes_come_back_intact()
    {
        var key = ProxyApp.UniqueKey();
        var random = new Random(42);
        var value = new StringBuilder();
        while (value.Length < 3 * 1024 * 1024)
        {
            value.Append((char)random.Next('a', 'z' + 1));
        }

        await proxy.Backend.StringSetAsync(key, value.ToString());

        Assert.Equal(value.ToString(), (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("value").GetString());
        Assert.Equal(value.ToString(), (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_come_back_as_base64_instead_of_being_mangled()
    {
        var key = ProxyApp.UniqueKey();
        byte[] value = [0xff, 0x00, 0xc3, 0x28, 0x80];
        await proxy.Backend.StringSetAsync(key, value);

        var (_, body) = await proxy.GetJsonAsync($"/{key}");

        Assert.Equal("base64", body.GetProperty("encoding").GetString());
        Assert.Equal(value, body.GetProperty("value").GetBytesFromBase64());
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "v");

        using var response = await proxy.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/{key}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Concurrent_misses_for_one_key_make_a_single_backend_read()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "shared");
        var before = await BackendCommandStats.CallsAsync(proxy.BackendServer, "get");

        // Pausing the backend's clients holds the first read on the wire while the others arrive.
        await proxy.Backend.ExecuteAsync("CLIENT", "PAUSE", "300", "ALL");
        var reads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => proxy.GetJsonAsync($"/{key}")));

        Assert.All(reads, read => Assert.Equal("shared", read.Body.GetProperty("value").GetString()));
        Assert.Equal(1, await BackendCommandStats.CallsAsync(proxy.BackendServer, "get") - before);
    }
}
