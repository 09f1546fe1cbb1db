using System.Net;
using System.Net.Http.Headers;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Http;

/// <summary>ETag / If-None-Match → 304, and Cache-Control: max-age as the time the entry has left (CACHE_EXPIRY 3600 here).</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class HttpCachingTests(DefaultProxyApp proxy)
{
    private const int CacheExpirySeconds = 3600;

    [Fact]
    public async Task The_etag_follows_the_value_not_the_source()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "first");

        var fromRedis = await ETagOfAsync(key);
        var fromCache = await ETagOfAsync(key);
        await proxy.PutAsync($"/{key}", "second");
        var afterWrite = await ETagOfAsync(key);

        Assert.Equal(fromRedis, fromCache);
        Assert.NotEqual(fromRedis, afterWrite);
    }

    [Fact]
    public async Task If_none_match_with_the_current_etag_is_304_without_a_body()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "unchanged");
        var etag = await ETagOfAsync(key);

        using var response = await GetAsync(key, request => request.Headers.IfNoneMatch.Add(etag));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, response.Headers.ETag);
        Assert.Equal("local", Assert.Single(response.Headers.GetValues("X-Cache-Source")));
    }

    [Fact]
    public async Task If_none_match_with_an_old_etag_gets_the_new_value()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.PutAsync($"/{key}", "old");
        var oldTag = await ETagOfAsync(key);
        await proxy.PutAsync($"/{key}", "new");

        using var response = await GetAsync(key, request => request.Headers.IfNoneMatch.Add(oldTag));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"value":"new","source":"local","status_code":200}""", await response.Content.ReadAsStringAsync());
        Assert.NotEqual(oldTag, response.Headers.ETag);
    }

    [Fact]
    public async Task If_none_match_star_is_304_for_a_present_key_and_404_for_an_absent_one()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "here");

        using var present = await GetAsync(key, request => request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any));
        using var absent = await GetAsync(ProxyApp.UniqueKey(), request => request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any));

        Assert.Equal(HttpStatusCode.NotModified, present.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
    }

    [Fact]
    public async Task Raw_bytes_and_json_have_different_etags_and_each_revalidates()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "both");
        var jsonTag = await ETagOfAsync(key);
        var rawTag = await ETagOfAsync(key, AcceptRawBytes);

        using var rawRevalidated = await GetAsync(key, request =>
        {
            AcceptRawBytes(request);
            request.Headers.IfNoneMatch.Add(rawTag);
        });

        Assert.NotEqual(jsonTag.Tag, rawTag.Tag);
        Assert.True(jsonTag.IsWeak, "the JSON body also names the source, so its tag is weak");
        Assert.False(rawTag.IsWeak, "the raw body is exactly the value, so its tag is strong");
        Assert.Equal(HttpStatusCode.NotModified, rawRevalidated.StatusCode);
        Assert.Equal("Accept", Assert.Single(rawRevalidated.Headers.Vary));
    }

    [Fact]
    public async Task Max_age_is_the_expiry_for_a_read_through_and_then_counts_down()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "ticking");

        using var fromRedis = await GetAsync(key);
        Assert.InRange(fromRedis.Headers.CacheControl?.MaxAge ?? TimeSpan.Zero, TimeSpan.FromSeconds(CacheExpirySeconds - 2), TimeSpan.FromSeconds(CacheExpirySeconds));

        // A local hit reports what is left, which drops below the full expiry as the entry ages.
        var remaining = await Eventually.MatchesAsync(
            async () =>
            {
                using var hit = await GetAsync(key);
                Assert.Equal("local", Assert.Single(hit.Headers.GetValues("X-Cache-Source")));
                return hit.Headers.CacheControl?.MaxAge;
            },
            maxAge => maxAge <= TimeSpan.FromSeconds(CacheExpirySeconds - 2),
            TimeSpan.FromSeconds(10),
            "max-age of a local hit to count down");
        Assert.True(remaining >= TimeSpan.FromSeconds(CacheExpirySeconds - 12), $"max-age {remaining} fell further than the time waited");
    }

    [Fact]
    public async Task A_404_is_not_to_be_reused()
    {
        using var response = await GetAsync(ProxyApp.UniqueKey());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Null(response.Headers.ETag);
    }

    private static void AcceptRawBytes(HttpRequestMessage request) =>
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));

    private async Task<EntityTagHeaderValue> ETagOfAsync(string key, Action<HttpRequestMessage>? prepare = null)
    {
        using var response = await GetAsync(key, prepare);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag ?? throw new Xunit.Sdk.XunitException("no ETag on a 200");
    }

    private async Task<HttpResponseMessage> GetAsync(string key, Action<HttpRequestMessage>? prepare = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{key}");
        prepare?.Invoke(request);
        return await proxy.Http.SendAsync(request);
    }
}
