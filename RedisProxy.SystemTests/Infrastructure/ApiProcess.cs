using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace RedisProxy.SystemTests.Infrastructure;

/// <summary>
/// The API run on its own, as a user runs it without the AppHost: configured by environment variables only.
/// Captures its output and exit code for tests about start-up and shutdown.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    // What the API says when another process took one of its ports between our probe and its bind.
    private const string PortTaken = "already in use by another process";
    private const int MaxRelaunches = 3;

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process _process;
    private int _relaunches;

    private ApiProcess(IReadOnlyDictionary<string, string> environment)
    {
        _environment = environment;
        _process = Launch();
    }

    public int HttpPort { get; private set; }

    public int ManagementPort { get; private set; }

    public int RespPort { get; private set; }

    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort}");

    public Uri ManagementAddress => new($"http://127.0.0.1:{ManagementPort}");

    /// <summary>The RESP port, as host and port for a raw TCP connection.</summary>
    public Uri RespEndpoint => new($"tcp://127.0.0.1:{RespPort}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The API's process id, which <c>/status</c> reports as part of its <c>instance</c>.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the built API with <paramref name="environment"/> on free loopback ports.</summary>
    public static ApiProcess Start(IReadOnlyDictionary<string, string> environment) => new(environment);

    /// <summary>Starts the API over <paramref name="redis"/>, by the seed's REDIS_SERVER_IP and REDIS_SERVER_PORT.</summary>
    public static ApiProcess StartOver(RedisServerProcess redis, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["REDIS_SERVER_IP"] = "127.0.0.1",
            ["REDIS_SERVER_PORT"] = Invariant(redis.Port),
        };
        return Start(settings);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until the HTTP port answers /ping.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        // No base address: a relaunch below moves the API to other ports, so each probe asks the current one.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.MatchesAsync(
            async () =>
            {
                if (HasExited)
                {
                    // Lets the output readers drain first, so the message carries what the process said before it exited.
                    await _process.WaitForExitAsync();
                    if (_process.ExitCode == 1 && Output.Contains(PortTaken, StringComparison.Ordinal) && _relaunches++ < MaxRelaunches)
                    {
                        // A free port probed here can be taken by another test's process before the API binds it.
                        Relaunch();
                        return false;
                    }

                    throw new InvalidOperationException($"The API exited with {_process.ExitCode}: {Output}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri(HttpAddress, "/ping"));
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not answering yet, or not within a probe's timeout: a process starting on a busy machine can be slow
                    // to serve its first request; the overall timeout bounds the wait.
                    return false;
                }
            },
            serving => serving,
            timeout,
            "the API to answer /ping");
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does to stop a service.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Invariant(_process.Id)]);
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private Process Launch()
    {
        var ports = RedisProxy.TestSupport.FreePorts.Take(3);
        (HttpPort, ManagementPort, RespPort) = (ports[0], ports[1], ports[2]);
        var start = new ProcessStartInfo("dotnet", [ApiAssemblyPath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PROXY_IP"] = "127.0.0.1";
        start.Environment["PROXY_PORT"] = Invariant(HttpPort);
        start.Environment["PROXY_MANAGEMENT_PORT"] = Invariant(ManagementPort);
        start.Environment["PROXY_RESP_PORT"] = Invariant(RespPort);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The API did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Starts the API again on fresh ports; the exited process's output is dropped with it.</summary>
    private void Relaunch()
    {
        _process.Dispose();
        lock (_output)
        {
            _output.Clear();
        }

        _process = Launch();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string ApiAssemblyPath()
    {
        // The API is built beside this test project by the project reference chain (AppHost → Api).
        var configuration = typeof(ApiProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var projectDirectory = Path.GetDirectoryName(new Projects.RedisProxy_Api().ProjectPath)!;
        return Path.Combine(projectDirectory, "bin", configuration, "net10.0", "RedisProxy.Api.dll");
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
