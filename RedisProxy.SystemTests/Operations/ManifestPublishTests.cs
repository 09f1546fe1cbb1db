using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace RedisProxy.SystemTests.Operations;

/// <summary>
/// The AppHost in publish mode, as <c>dotnet run --project RedisProxy.AppHost -- --publisher manifest --output-path …</c>
/// runs it: no container engine needed, and the manifest carries the Redis container, the proxy and its parameters.
/// </summary>
public sealed class ManifestPublishTests : IDisposable
{
    private readonly string _outputDirectory = Directory.CreateTempSubdirectory("redisproxy-manifest-").FullName;

    [Fact]
    public async Task The_manifest_has_the_Redis_container_the_proxy_project_and_its_parameters()
    {
        var manifest = await PublishAsync();
        var resources = manifest.GetProperty("resources");

        var redis = resources.GetProperty("redis");
        Assert.Equal("container.v0", redis.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/redis:", redis.GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.True(resources.GetProperty("redis-password").GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());

        var api = resources.GetProperty("api");
        Assert.Equal("project.v0", api.GetProperty("type").GetString());
        Assert.EndsWith("RedisProxy.Api.csproj", api.GetProperty("path").GetString(), StringComparison.Ordinal);
        var environment = api.GetProperty("env");
        Assert.Equal("{redis.connectionString}", environment.GetProperty("ConnectionStrings__redis").GetString());
        foreach (var (variable, parameter, defaultValue) in new[]
        {
            ("CACHE_CAPACITY", "cache-capacity", "1500"),
            ("CACHE_EXPIRY", "cache-expiry", "3600"),
            ("MAX_CONCURRENT_REQUESTS", "max-concurrent-requests", "11"),
            ("CACHE_INVALIDATION", "cache-invalidation", "off"),
        })
        {
            Assert.Equal($"{{{parameter}.value}}", environment.GetProperty(variable).GetString());
            Assert.Equal("parameter.v0", resources.GetProperty(parameter).GetProperty("type").GetString());
            Assert.Equal(defaultValue, DefaultOf(resources.GetProperty(parameter)));
        }

        var bindings = api.GetProperty("bindings");
        Assert.Equal(8989, bindings.GetProperty("http").GetProperty("port").GetInt32());
        Assert.Equal(8990, bindings.GetProperty("management").GetProperty("port").GetInt32());
        Assert.Equal("{api.bindings.http.targetPort}", environment.GetProperty("PROXY_PORT").GetString());
    }

    [Fact]
    public async Task Settings_given_to_the_publish_step_become_the_parameters_defaults()
    {
        var manifest = await PublishAsync("--Parameters:cache-capacity=42", "--Parameters:cache-invalidation=tracking");
        var resources = manifest.GetProperty("resources");

        Assert.Equal("42", DefaultOf(resources.GetProperty("cache-capacity")));
        Assert.Equal("tracking", DefaultOf(resources.GetProperty("cache-invalidation")));
    }

    [Fact]
    public void Azure_yaml_points_azd_at_this_app_host_as_container_apps()
    {
        var appHostDirectory = Projects.RedisProxy_AppHost.ProjectPath;
        var root = Path.GetDirectoryName(appHostDirectory.TrimEnd(Path.DirectorySeparatorChar))!;
        var lines = File.ReadAllLines(Path.Combine(root, "azure.yaml")).Select(line => line.Trim()).ToList();

        var project = lines.Single(line => line.StartsWith("project:", StringComparison.Ordinal))["project:".Length..].Trim();
        Assert.True(File.Exists(Path.Combine(root, project)), $"azure.yaml names {project}, which does not exist");
        Assert.Equal(Path.Combine(appHostDirectory, "RedisProxy.AppHost.csproj"), Path.GetFullPath(Path.Combine(root, project)));
        Assert.Contains("host: containerapp", lines);
    }

    public void Dispose() => Directory.Delete(_outputDirectory, recursive: true);

    private async Task<JsonElement> PublishAsync(params string[] settings)
    {
        var manifestPath = Path.Combine(_outputDirectory, "manifest.json");
        var (appHostDirectory, appHostAssembly) = AppHostPaths();
        var start = new ProcessStartInfo("dotnet", [appHostAssembly, "--publisher", "manifest", "--output-path", manifestPath, .. settings])
        {
            WorkingDirectory = appHostDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The AppHost did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"publish exited with {process.ExitCode}: {await output}{await errors}");
        await using var file = File.OpenRead(manifestPath);
        using var document = await JsonDocument.ParseAsync(file);
        return document.RootElement.Clone();
    }

    private static string? DefaultOf(JsonElement parameter) =>
        parameter.GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("value").GetString();

    private static (string Directory, string Assembly) AppHostPaths()
    {
        // Built beside this test project by its project reference, in the same configuration.
        var configuration = typeof(ManifestPublishTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        // The generated metadata names the AppHost's directory (a project resource's names its .csproj).
        var projectDirectory = Projects.RedisProxy_AppHost.ProjectPath;
        return (projectDirectory, Path.Combine(projectDirectory, "bin", configuration, "net10.0", "RedisProxy.AppHost.dll"));
    }
}
