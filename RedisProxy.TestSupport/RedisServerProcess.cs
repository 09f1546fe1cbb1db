using System.Diagnostics;
using StackExchange.Redis;

namespace RedisProxy.TestSupport;

/// <summary>
/// A redis-server the test starts and stops itself (on a fixed loopback port, so it can come back where it was),
/// to take the backend away from a running proxy and give it back.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private const int MaxLaunches = 3;

    private readonly string[] _extraArguments;
    private Process? _process;
    private bool _started;

    /// <param name="extraArguments">More redis-server options, e.g. <c>--requirepass x</c>.</param>
    public RedisServerProcess(params string[] extraArguments)
    {
        _extraArguments = extraArguments;
        Port = FreePorts.Take(1)[0];
    }

    /// <summary>Chosen free when constructed; changed only if another process takes it before the first start.</summary>
    public int Port { get; private set; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>
    /// Starts redis-server and waits until it answers. What answers must be this very process: a server another test
    /// started on the same port (both probed it free) would share its keys, and a FLUSHALL there would empty ours. On
    /// the first start a port taken meanwhile is given up for another one; a restart must come back where it was.
    /// </summary>
    public async Task StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var failure = await LaunchAsync();
            if (failure is null)
            {
                _started = true;
                return;
            }

            if (_started || attempt == MaxLaunches)
            {
                throw new InvalidOperationException($"redis-server on port {Port}: {failure}");
            }

            Port = FreePorts.Take(1)[0];
        }
    }

    /// <summary>Launches the server on <see cref="Port"/>; null once it answers as itself, else why not.</summary>
    private async Task<string?> LaunchAsync()
    {
        string[] arguments = ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", .. _extraArguments];
        _process = Process.Start(new ProcessStartInfo("redis-server", arguments)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        var output = ProcessOutput.Read(_process);

        var password = _extraArguments.SkipWhile(argument => argument != "--requirepass").Skip(1).FirstOrDefault();
        var options = ConfigurationOptions.Parse($"{ConnectionString},connectTimeout=500");
        options.Password = password;
        options.AllowAdmin = true;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                return $"exited with code {_process.ExitCode}: {output}";
            }

            try
            {
                await using var client = await ConnectionMultiplexer.ConnectAsync(options);
                var info = await client.GetDatabase().ExecuteAsync("INFO", "server");
                if (ServerIdentity.ProcessId(info.ToString()) == _process.Id)
                {
                    return null;
                }

                await StopAsync();
                return "another redis-server answered on its port";
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
