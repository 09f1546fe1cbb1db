using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace RedisProxy.TestSupport;

/// <summary>
/// A redis-server the test starts and stops itself (on a fixed loopback port, so it can come back where it was),
/// to take the backend away from a running proxy and give it back.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string[] _extraArguments;
    private Process? _process;

    /// <param name="extraArguments">More redis-server options, e.g. <c>--requirepass x</c>.</param>
    public RedisServerProcess(params string[] extraArguments)
    {
        _extraArguments = extraArguments;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        string[] arguments = ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", .. _extraArguments];
        _process = Process.Start(new ProcessStartInfo("redis-server", arguments)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await using var client = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},connectTimeout=500");
                await client.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure)
            {
                // A password-protected server is up: it answered, just not to us.
                return;
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
