extern alias forecasts;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Samples;

/// <summary>
/// samples/Forecasts under its own AppHost: an app that uses Redis through Aspire.StackExchange.Redis,
/// IDistributedCache and HybridCache, pointed by RedisProxy.Hosting at the proxy in front of a real redis-server.
/// </summary>
public sealed class ForecastsSampleTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly RedisServerProcess _redis = new();
    private DistributedApplication? _app;

    private DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        using var cancel = new CancellationTokenSource(StartTimeout);
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<forecasts::Projects.Forecasts_AppHost>(
            [$"--ConnectionStrings:redis={_redis.ConnectionString}"], (options, _) => options.DisableDashboard = true, cancel.Token);
        appHost.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        _app = await appHost.BuildAsync(cancel.Token);
        await _app.StartAsync(cancel.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("cache", cancel.Token);
        await _app.ResourceNotifications.WaitForResourceAsync("forecasts", KnownResourceStates.Running, cancel.Token);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    [Fact]
    public async Task The_app_s_repeated_redis_reads_are_hits_in_the_proxy_and_its_caches_reach_redis()
    {
        using var forecasts = App.CreateHttpClient("forecasts");
        await Eventually.MatchesAsync(() => StatusOfAsync(forecasts, "/alive"), status => status == HttpStatusCode.OK, StartTimeout, "the sample app to answer");
        var hitsBefore = await ProxyHitsAsync();

        using (var put = await forecasts.PutAsync("/notes/greeting", new StringContent("hello")))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }

        Assert.Equal("hello", await forecasts.GetStringAsync("/notes/greeting"));
        Assert.Equal("hello", await forecasts.GetStringAsync("/notes/greeting"));
        Assert.True(await ProxyHitsAsync() > hitsBefore, "the app's repeated read was answered from the proxy's cache");

        var first = await forecasts.GetFromJsonAsync<JsonElement>("/forecasts/paris");
        var again = await forecasts.GetFromJsonAsync<JsonElement>("/forecasts/paris");
        Assert.Equal(first.GetProperty("madeAt").GetString(), again.GetProperty("madeAt").GetString());

        // HybridCache's second level went through the proxy to Redis.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        Assert.True(await redis.GetDatabase().KeyExistsAsync("forecast:paris"));
        Assert.Equal("hello", (string?)await redis.GetDatabase().StringGetAsync("note:greeting"));
    }

    private async Task<long> ProxyHitsAsync()
    {
        using var management = App.CreateHttpClient("cache", "management");
        var status = await management.GetFromJsonAsync<JsonElement>("/status");
        return status.GetProperty("cache").GetProperty("hits").GetInt64();
    }

    private static async Task<HttpStatusCode?> StatusOfAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
