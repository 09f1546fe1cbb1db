using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace RedisProxy.TestSupport;

/// <summary>A redis-server or redis-sentinel process of a test's own, on a loopback port, killed when disposed.</summary>
public sealed class LocalProcess : IAsyncDisposable
{
    private Process? _process;

    private LocalProcess(string program, int port, IReadOnlyList<string> arguments)
    {
        Program = program;
        Port = port;
        Arguments = arguments;
    }

    public string Program { get; }

    public int Port { get; }

    public IReadOnlyList<string> Arguments { get; }

    public string EndPoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the program and waits until it answers PING.</summary>
    public static async Task<LocalProcess> StartAsync(string program, int port, params string[] arguments)
    {
        var process = new LocalProcess(program, port, arguments);
        await process.RestartAsync();
        return process;
    }

    /// <summary>Starts it (again, with the same arguments) and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        _process = Process.Start(new ProcessStartInfo(Program, Arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"{Program} did not start.");
        var output = ProcessOutput.Read(_process);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await using var client = await ConnectionMultiplexer.ConnectAsync(
                    new ConfigurationOptions { EndPoints = { EndPoint }, ConnectTimeout = 500, AllowAdmin = true, CommandMap = Program.Contains("sentinel", StringComparison.Ordinal) ? CommandMap.Sentinel : CommandMap.Default });
                var server = client.GetServer(EndPoint);
                await server.PingAsync();
                if (ServerIdentity.ProcessId(await server.InfoRawAsync("server") ?? "") != _process.Id)
                {
                    await KillAsync();
                    throw new InvalidOperationException($"{Program}: another server answered on port {Port}, which it was to take");
                }

                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (RedisConnectionException e)
            {
                // What the server said is what tells a port taken meanwhile from a bad argument.
                if (_process.HasExited)
                {
                    await _process.WaitForExitAsync();
                }

                var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : "did not answer PING in time";
                throw new InvalidOperationException($"{Program} on port {Port} {state}; it printed:{Environment.NewLine}{output}", e);
            }
        }
    }

    /// <summary>Kills it at once, as a crash would (SIGKILL).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await KillAsync();
}
