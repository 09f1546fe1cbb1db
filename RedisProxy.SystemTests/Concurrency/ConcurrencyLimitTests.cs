using System.Net;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Concurrency;

/// <summary>MAX_CONCURRENT_REQUESTS=1 with one queue place: the rest are refused at once with 503 and Retry-After.</summary>
public sealed class ConcurrencyLimitTests(SingleSlotProxyApp proxy) : IClassFixture<SingleSlotProxyApp>
{
    [Fact]
    public async Task Requests_beyond_the_slots_and_the_queue_get_503_with_retry_after_and_the_rest_succeed()
    {
        var keys = Enumerable.Range(0, 6).Select(i => ProxyApp.UniqueKey($"slot{i}")).ToArray();
        foreach (var key in keys)
        {
            await proxy.Backend.StringSetAsync(key, key);
        }

        // Hold the backend so the first miss keeps the only slot while the others arrive.
        await proxy.Backend.ExecuteAsync("CLIENT", "PAUSE", "1500", "ALL");
        var responses = await Task.WhenAll(keys.Select(key => proxy.Http.GetAsync($"/{key}")));
        try
        {
            var served = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToArray();
            var refused = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToArray();

            Assert.Equal(2, served.Length); // one in the slot, one in the queue
            Assert.Equal(4, refused.Length);
            Assert.All(refused, r => Assert.Equal("1", r.Headers.RetryAfter?.ToString()));
            foreach (var response in refused)
            {
                var body = await ProxyApp.ReadJsonAsync(response);
                Assert.Equal(503, body.GetProperty("status_code").GetInt32());
                Assert.Contains("busy", body.GetProperty("error").GetString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Cache_hits_do_not_wait_for_a_backend_slot()
    {
        var cached = ProxyApp.UniqueKey("hit");
        var slow = ProxyApp.UniqueKey("slow");
        await proxy.Backend.StringSetAsync(cached, "hit");
        await proxy.Backend.StringSetAsync(slow, "slow");
        Assert.Equal(200, (await proxy.GetJsonAsync($"/{cached}")).Status);

        await proxy.Backend.ExecuteAsync("CLIENT", "PAUSE", "1500", "ALL");
        var miss = proxy.GetJsonAsync($"/{slow}");
        var hit = await proxy.GetJsonAsync($"/{cached}");

        Assert.False(miss.IsCompleted, "the miss should still be waiting on the paused backend");
        Assert.Equal("local", hit.Body.GetProperty("source").GetString());
        Assert.Equal("slow", (await miss).Body.GetProperty("value").GetString());
    }
}
