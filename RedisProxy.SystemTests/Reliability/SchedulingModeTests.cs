using System.Net;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Reliability;

/// <summary>
/// The scheduling modes, whatever the default comes to on the machine running the tests (inline, one event thread
/// per two processors, which every other test runs with): inline with one event thread and with two (the default on
/// 2 and on 4 processors), and the thread pool (PROXY_INLINE_SCHEDULING=false). In each, both doors keep serving
/// correct values under concurrent hits, misses and writes.
/// </summary>
public sealed class SchedulingModeTests
{
    [Theory]
    [InlineData("true", "1")]
    [InlineData("true", "2")]
    [InlineData("false", "1")]
    public async Task Both_doors_serve_concurrent_hits_misses_and_writes_correctly(string inlineScheduling, string ioThreads)
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using (var seed = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            for (var i = 0; i < 200; i++)
            {
                await seed.GetDatabase().StringSetAsync($"inline:{i}", $"value:{i}");
            }
        }

        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string>
        {
            ["PROXY_INLINE_SCHEDULING"] = inlineScheduling,
            ["PROXY_IO_THREADS"] = ioThreads,
            ["CACHE_CAPACITY"] = "50",
            ["BACKEND_TIMEOUT_MS"] = "10000",
        });
        await api.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = api.HttpAddress };
        await using var resp = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{api.RespPort}");

        // 16 workers, each over both doors, 3 passes over 200 keys through a 50-entry cache: hits, misses, evictions.
        var workers = Enumerable.Range(0, 16).Select(async worker =>
        {
            for (var pass = 0; pass < 3; pass++)
            {
                for (var i = worker; i < 200; i += 16)
                {
                    var key = $"inline:{i}";
                    using var response = await http.GetAsync($"/{key}");
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var body = await ProxyApp.ReadJsonAsync(response);
                    Assert.Equal($"value:{i}", body.GetProperty("value").GetString());
                    Assert.Equal($"value:{i}", (string?)await resp.GetDatabase().StringGetAsync(key));
                }

                Assert.True(await resp.GetDatabase().StringSetAsync($"inline:written:{worker}", $"w{pass}"));
                Assert.Equal($"w{pass}", (await http.GetStringAsync($"/inline:written:{worker}")).Split('"')[3]);
            }
        });
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120));
    }
}
