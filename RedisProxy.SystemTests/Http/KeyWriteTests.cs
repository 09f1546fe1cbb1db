using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Http;

/// <summary>PUT /{key}?ttl= writes with an expiry; DELETE /{key} deletes in Redis and in the cache.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class KeyWriteTests(DefaultProxyApp proxy)
{
    [Fact]
    public async Task Put_with_a_ttl_writes_a_key_that_expires_in_redis()
    {
        var key = ProxyApp.UniqueKey();

        using var written = await proxy.Http.PutAsync($"/{key}?ttl=100", new StringContent("bob"));

        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        Assert.Equal("bob", (string?)await proxy.Backend.StringGetAsync(key));
        Assert.InRange(await proxy.Backend.KeyTimeToLiveAsync(key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(98), TimeSpan.FromSeconds(100));
        using var read = await proxy.Http.GetAsync($"/{key}");
        Assert.InRange(read.Headers.CacheControl?.MaxAge ?? TimeSpan.MaxValue, TimeSpan.FromSeconds(98), TimeSpan.FromSeconds(100));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("soon")]
    public async Task Put_with_a_ttl_that_is_not_a_positive_number_is_400_and_writes_nothing(string ttl)
    {
        var key = ProxyApp.UniqueKey();

        using var response = await proxy.Http.PutAsync($"/{key}?ttl={ttl}", new StringContent("v"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ttl", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(await proxy.Backend.KeyExistsAsync(key));
    }

    [Fact]
    public async Task Delete_removes_the_key_from_redis_and_the_cache_and_a_second_delete_is_404()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "doomed");
        Assert.Equal("doomed", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("value").GetString());

        using var deleted = await proxy.Http.DeleteAsync($"/{key}");
        using var again = await proxy.Http.DeleteAsync($"/{key}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal($$"""{"key":"{{key}}","deleted":true,"status_code":200}""", await deleted.Content.ReadAsStringAsync());
        Assert.False(await proxy.Backend.KeyExistsAsync(key));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal($$"""{"key":"{{key}}","deleted":false,"status_code":404}""", await again.Content.ReadAsStringAsync());
        Assert.Equal(404, (await proxy.GetJsonAsync($"/{key}")).Status);
    }

    [Fact]
    public async Task Delete_of_the_reserved_cache_route_still_empties_the_cache_only()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "kept");

        using var cleared = await proxy.Http.DeleteAsync("/cache");

        Assert.Equal("""{"cache_cleared":true,"status_code":200}""", await cleared.Content.ReadAsStringAsync());
        Assert.True(await proxy.Backend.KeyExistsAsync(key));
    }
}
