using System.Diagnostics;

namespace RedisProxy.SystemTests.Clients;

/// <summary>redis-cli against the proxy's RESP port, as an operator would use it.</summary>
public sealed class RedisCliTests(ClientsProxy proxy) : IClassFixture<ClientsProxy>
{
    [Fact]
    public async Task Commands_of_every_family_answer_as_on_redis()
    {
        var key = $"cli-{Guid.NewGuid():N}";

        Assert.Equal("OK", await CliAsync("SET", key, "1", "EX", "100"));
        Assert.Equal("2", await CliAsync("INCR", key));
        Assert.Equal("2", await CliAsync("GET", key));
        Assert.Equal("3", await CliAsync("RPUSH", key + ":l", "a", "b", "c"));
        Assert.Equal("a\nb\nc", await CliAsync("LRANGE", key + ":l", "0", "-1"));
        Assert.Equal("string", await CliAsync("TYPE", key));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", await CliAsync("GET", key + ":l"));
    }

    [Fact]
    public async Task A_bulk_load_with_pipe_mode_arrives_whole()
    {
        var prefix = $"pipe-{Guid.NewGuid():N}";
        var input = string.Concat(Enumerable.Range(0, 500).Select(i => $"SET {prefix}:{i} v{i}\r\n"));

        var output = await RunAsync(input, "--pipe");

        Assert.Contains("errors: 0, replies: 500", output, StringComparison.Ordinal);
        Assert.Equal("v499", await CliAsync("GET", $"{prefix}:499"));
    }

    private Task<string> CliAsync(params string[] arguments) => RunAsync(null, arguments);

    private async Task<string> RunAsync(string? input, params string[] arguments)
    {
        var endpoint = proxy.Api.RespEndpoint;
        var start = new ProcessStartInfo("redis-cli", ["-h", endpoint.Host, "-p", endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var cli = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        if (input is not null)
        {
            await cli.StandardInput.WriteAsync(input);
        }

        cli.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = await cli.StandardOutput.ReadToEndAsync(timeout.Token);
        await cli.WaitForExitAsync(timeout.Token);
        return output.TrimEnd('\n');
    }
}
