using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using RedisProxy.SystemTests.Resp;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Operations;

/// <summary>
/// The API as a .NET tool, as someone without a clone gets it: packed to a local folder, installed from there with
/// <c>dotnet tool install</c>, started as <c>redis-proxy</c> with command-line options, and talked to.
/// </summary>
public sealed class DotnetToolTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromMinutes(2);

    private readonly string _directory = Directory.CreateTempSubdirectory("redisproxy-tool-").FullName;
    private readonly RedisServerProcess _redis = new();

    private string Tool => Path.Combine(_directory, "tools", "redis-proxy");

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        var configuration = typeof(DotnetToolTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var apiProject = new Projects.RedisProxy_Api().ProjectPath;
        var packages = Path.Combine(_directory, "packages");
        await RunAsync("dotnet", "pack", apiProject, "-c", configuration, "--no-build", "-o", packages);

        // Only the local folder as a source: the install must not depend on (or pick up) anything from nuget.org.
        var nugetConfig = Path.Combine(_directory, "nuget.config");
        await File.WriteAllTextAsync(nugetConfig,
            $"<configuration><packageSources><clear /><add key=\"local\" value=\"{packages}\" /></packageSources></configuration>");
        await RunAsync("dotnet", "tool", "install", "--tool-path", Path.Combine(_directory, "tools"), "--configfile", nugetConfig, "RedisProxy");
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    [Fact]
    public async Task The_installed_tool_serves_both_doors_over_the_backend_named_on_its_command_line()
    {
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
        {
            await redis.GetDatabase().StringSetAsync("tool-key", "from redis");
        }

        var ports = FreePorts.Take(3);
        using var proxy = Process.Start(new ProcessStartInfo(Tool,
        [
            "--backend", _redis.ConnectionString, "--ip", "127.0.0.1",
            "--port", Text(ports[0]), "--resp-port", Text(ports[1]), "--management-port", Text(ports[2]), "--capacity", "10",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Text(ports[0])}") };
            await Eventually.MatchesAsync(() => PingAsync(http), ok => ok, Bounded, "the tool to answer /ping");

            Assert.Equal("{\"value\":\"from redis\",\"source\":\"redis\",\"status_code\":200}", await http.GetStringAsync("/tool-key"));
            await using var resp = await RawResp.OpenAsync(new Uri($"tcp://127.0.0.1:{Text(ports[1])}"));
            Assert.Equal(RawResp.Bulk("from redis"), await resp.CallAsync(RawResp.Frame("GET", "tool-key")));
            using var management = new HttpClient();
            Assert.Contains("\"capacity\":10", await management.GetStringAsync($"http://127.0.0.1:{Text(ports[2])}/status"), StringComparison.Ordinal);
        }
        finally
        {
            proxy.Kill();
            await proxy.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task An_AppHost_without_the_proxy_s_project_runs_the_installed_tool_through_the_integration()
    {
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
        {
            await redis.GetDatabase().StringSetAsync("integration-key", "from redis");
        }

        // The repository's AppHost lends its orchestration (Aspire's testing builder needs an AppHost assembly), with
        // its backend pointed at this test's redis-server and its project-based proxy taken out of the model.
        using var timeout = new CancellationTokenSource(Bounded);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.RedisProxy_AppHost>(
            ["--redis-mode=external", $"--ConnectionStrings:redis={_redis.ConnectionString}"], (options, _) => options.DisableDashboard = true, timeout.Token);
        builder.Resources.Remove(builder.Resources.Single(resource => resource.Name == "api"));
        var backend = builder.CreateResourceBuilder((IResourceWithConnectionString)builder.Resources.Single(resource => resource.Name == "redis"));
        builder.AddRedisProxy("cache", Tool).WithBackend(backend).WithCacheCapacity(10);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("cache", timeout.Token);

        var connectionString = await app.GetConnectionStringAsync("cache", timeout.Token) ?? throw new Xunit.Sdk.XunitException("no connection string");
        Assert.Equal(app.GetEndpoint("cache", RedisProxyResource.RespEndpointName).Authority, connectionString);
        await using var client = await ConnectionMultiplexer.ConnectAsync(connectionString);
        Assert.Equal("from redis", (string?)await client.GetDatabase().StringGetAsync("integration-key"));
        Assert.Equal("from redis", (string?)await client.GetDatabase().StringGetAsync("integration-key"));

        using var management = app.CreateHttpClient("cache", RedisProxyResource.ManagementEndpointName);
        var cacheStatus = JsonDocument.Parse(await management.GetStringAsync("/status", timeout.Token)).RootElement.GetProperty("cache");
        Assert.Equal(10, cacheStatus.GetProperty("capacity").GetInt32());
        Assert.Equal(1, cacheStatus.GetProperty("hits").GetInt64());
    }

    [Fact]
    public async Task Help_lists_the_options_and_an_unknown_option_stops_it_with_a_message()
    {
        var (helpExit, help) = await RunToolAsync("--help");
        Assert.Equal(0, helpExit);
        Assert.Contains("--backend", help, StringComparison.Ordinal);
        Assert.Contains("--resp-port", help, StringComparison.Ordinal);

        var (unknownExit, unknown) = await RunToolAsync("--prot", "1");
        Assert.Equal(2, unknownExit);
        Assert.Contains("unknown option '--prot'", unknown, StringComparison.Ordinal);
    }

    private static async Task<bool> PingAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/ping")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<(int ExitCode, string Output)> RunToolAsync(params string[] arguments) => await RunAsync(Tool, arguments, check: false);

    private static Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments) => RunAsync(program, arguments, check: true);

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, bool check)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var timeout = new CancellationTokenSource(Bounded);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await errors;
        Assert.True(!check || process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {text}");
        return (process.ExitCode, text);
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
