using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Infrastructure;

/// <summary>
/// The whole AppHost graph (backing Redis + API), started once per fixture. Subclasses pick the backend mode, AppHost
/// arguments and extra API settings. Tests reach the proxy over HTTP and the backend directly.
/// </summary>
public abstract class ProxyApp : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private DistributedApplication? _app;
    private ConnectionMultiplexer? _backend;
    private HttpClient? _http;

    /// <summary>The <c>redis-mode</c> the AppHost runs with.</summary>
    protected virtual string RedisMode => "redis-server";

    /// <summary>Extra AppHost arguments, e.g. <c>--Parameters:cache-capacity=3</c>.</summary>
    protected virtual IEnumerable<string> AppHostArguments => [];

    /// <summary>Extra environment for the API beyond what the AppHost passes.</summary>
    protected virtual IReadOnlyDictionary<string, string> ApiEnvironment => new Dictionary<string, string>();

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public HttpClient Http => _http ?? throw new InvalidOperationException("Not started.");

    /// <summary>The proxy's Redis-protocol endpoint (<c>tcp://host:port</c>), the AppHost's <c>resp</c> endpoint.</summary>
    public Uri RespEndpoint => App.GetEndpoint("api", "resp");

    /// <summary>A direct connection to the backing server, bypassing the proxy.</summary>
    public IDatabase Backend => (_backend ?? throw new InvalidOperationException("Not started.")).GetDatabase();

    public IServer BackendServer => _backend!.GetServers()[0];

    public async Task InitializeAsync()
    {
        await StartDependenciesAsync();
        using var cancel = new CancellationTokenSource(StartTimeout);
        var arguments = AppHostArguments.Prepend($"--redis-mode={RedisMode}").ToArray();
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.RedisProxy_AppHost>(
            arguments, (options, _) => options.DisableDashboard = true, cancel.Token);
        appHost.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        var api = appHost.CreateResourceBuilder<ProjectResource>("api");
        foreach (var (name, value) in ApiEnvironment)
        {
            api.WithEnvironment(name, value);
        }

        ConfigureAppHost(appHost);
        _app = await appHost.BuildAsync(cancel.Token);
        await _app.StartAsync(cancel.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("api", cancel.Token);

        _http = _app.CreateHttpClient("api", "http");
        _http.Timeout = TimeSpan.FromSeconds(30);
        var connectionString = await _app.GetConnectionStringAsync("redis", cancel.Token)
            ?? throw new InvalidOperationException("The backend has no connection string.");
        _backend = await ConnectionMultiplexer.ConnectAsync($"{connectionString},allowAdmin=true");
    }

    /// <summary>A hook for fixtures that need something running before the AppHost starts.</summary>
    protected virtual Task StartDependenciesAsync() => Task.CompletedTask;

    /// <summary>Undoes <see cref="StartDependenciesAsync"/> after the AppHost has stopped.</summary>
    protected virtual Task StopDependenciesAsync() => Task.CompletedTask;

    /// <summary>A hook for fixtures that change the application model further.</summary>
    protected virtual void ConfigureAppHost(IDistributedApplicationTestingBuilder appHost)
    {
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await StopDependenciesAsync();
    }

    /// <summary>GET /{path} and parse the JSON body, whatever the status.</summary>
    public async Task<(int Status, JsonElement Body)> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return ((int)response.StatusCode, await ReadJsonAsync(response));
    }

    public async Task<(int Status, JsonElement Body)> PutAsync(string path, string value)
    {
        using var response = await Http.PutAsync(path, new StringContent(value));
        return ((int)response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A key no other test uses, so tests can share one running proxy.</summary>
    public static string UniqueKey(string prefix = "k") => $"{prefix}-{Guid.NewGuid():N}";
}
