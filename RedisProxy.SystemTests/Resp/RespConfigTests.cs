using System.Diagnostics;
using System.Globalization;
using System.Text;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Resp;

/// <summary>The API standalone with its default settings, beside the redis-server it fronts (itself with no persistence).</summary>
public sealed class DefaultSettingsProxy : StandaloneProxy
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();
}

/// <summary>
/// CONFIG GET answers as Redis does, for the proxy itself: where the proxy and Redis agree (the proxy's defaults, the
/// errors) the bytes are Redis's own, compared with the redis-server the proxy fronts; the rest is spelled out.
/// </summary>
public sealed class RespConfigTests(DefaultSettingsProxy proxy) : IClassFixture<DefaultSettingsProxy>
{
    /// <summary>Every parameter with the proxy's defaults, in the order CONFIG GET * lists them.</summary>
    public static readonly (string Name, string Value)[] Defaults =
    [
        ("appendonly", "no"),
        ("databases", "16"),
        ("maxmemory", "0"),
        ("maxmemory-policy", "allkeys-lru"),
        ("proto-max-bulk-len", "536870912"),
        ("replica-read-only", "yes"),
        ("save", ""),
        ("slave-read-only", "yes"),
        ("timeout", "0"),
    ];

    private Uri RedisEndpoint => new($"tcp://127.0.0.1:{proxy.Redis.Port}");

    [Theory]
    [InlineData("CONFIG", "GET", "save")]
    [InlineData("CONFIG", "GET", "appendonly")]
    [InlineData("CONFIG", "GET", "timeout")]
    [InlineData("CONFIG", "GET", "proto-max-bulk-len")]
    [InlineData("CONFIG", "GET", "maxmemory")]
    [InlineData("CONFIG", "GET", "replica-read-only")]
    [InlineData("CONFIG", "GET", "slave-read-only")]
    // A name without wildcards is answered under the spelling asked; a pattern under the parameter's own name.
    [InlineData("config", "get", "SAVE")]
    [InlineData("CONFIG", "GET", "SAVE", "save")]
    [InlineData("CONFIG", "GET", "SAV?")]
    [InlineData("CONFIG", "GET", "[r-s]AVE")]
    [InlineData("CONFIG", "GET", @"sav\e*")]
    [InlineData("CONFIG", "GET", "appendonly", "nosuch")]
    // Nothing found: an empty array (RESP3: map). A backslash alone makes no pattern, so nothing has that name.
    [InlineData("CONFIG", "GET", "nosuch")]
    [InlineData("CONFIG", "GET", "nosuch*")]
    [InlineData("CONFIG", "GET", @"sav\e")]
    // Redis's arity errors, for the command and for each subcommand, and its unknown-subcommand error.
    [InlineData("CONFIG")]
    [InlineData("CONFIG", "GET")]
    [InlineData("CONFIG", "SET", "save")]
    [InlineData("CONFIG", "RESETSTAT", "now")]
    [InlineData("CONFIG", "REWRITE", "now")]
    [InlineData("CONFIG", "HELP", "me")]
    [InlineData("CONFIG", "FLY")]
    public async Task Where_the_proxy_and_Redis_agree_the_reply_is_Redis_s_byte_for_byte_in_RESP2_and_RESP3(params string[] command)
    {
        foreach (var protocol in new[] { 2, 3 })
        {
            var expected = await CallAsync(RedisEndpoint, protocol, command);

            Assert.Equal(expected, await CallAsync(proxy.Api.RespEndpoint, protocol, command));
        }
    }

    [Fact]
    public async Task One_name_is_a_pair_an_array_in_RESP2_and_a_map_in_RESP3()
    {
        Assert.Equal("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", await CallAsync(proxy.Api.RespEndpoint, 2, "CONFIG", "GET", "save"));
        Assert.Equal("%1\r\n$4\r\nsave\r\n$0\r\n\r\n", await CallAsync(proxy.Api.RespEndpoint, 3, "CONFIG", "GET", "save"));
        Assert.Equal("*0\r\n", await CallAsync(proxy.Api.RespEndpoint, 2, "CONFIG", "GET", "no-such-*"));
        Assert.Equal("%0\r\n", await CallAsync(proxy.Api.RespEndpoint, 3, "CONFIG", "GET", "no-such-*"));
    }

    [Fact]
    public async Task Several_patterns_list_each_parameter_once_in_the_order_first_selected_and_Redis_selects_the_same()
    {
        string[] command = ["CONFIG", "GET", "save", "appendonly", "*READ-only", "SAVE", "sav?"];
        (string, string)[] selected = [("save", ""), ("appendonly", "no"), ("replica-read-only", "yes"), ("slave-read-only", "yes")];

        Assert.Equal(Pairs(2, selected), await CallAsync(proxy.Api.RespEndpoint, 2, command));
        Assert.Equal(Pairs(3, selected), await CallAsync(proxy.Api.RespEndpoint, 3, command));
        // Redis lists them in its hash table's order.
        Assert.Equal(selected.Order(), ParsePairs(await CallAsync(RedisEndpoint, 2, command)).Order());
    }

    [Fact]
    public async Task Every_parameter_describes_the_proxy()
    {
        Assert.Equal(Pairs(2, Defaults), await CallAsync(proxy.Api.RespEndpoint, 2, "CONFIG", "GET", "*"));
        Assert.Equal(Pairs(3, Defaults), await CallAsync(proxy.Api.RespEndpoint, 3, "config", "get", "*"));
    }

    [Fact]
    public async Task Set_resetstat_and_rewrite_are_refused_change_nothing_and_the_connection_goes_on()
    {
        await using var raw = await RawResp.OpenAsync(proxy.Api.RespEndpoint);

        Assert.Equal(
            "-ERR 'CONFIG SET' is not supported by the proxy (it is configured by its environment at start-up)\r\n",
            await raw.CallAsync(RawResp.Frame("CONFIG", "SET", "timeout", "5")));
        Assert.Equal(
            "-ERR 'CONFIG RESETSTAT' is not supported by the proxy (it is configured by its environment at start-up)\r\n",
            await raw.CallAsync(RawResp.Frame("CONFIG", "RESETSTAT")));
        Assert.Equal(
            "-ERR 'CONFIG REWRITE' is not supported by the proxy (it is configured by its environment at start-up)\r\n",
            await raw.CallAsync(RawResp.Frame("config", "rewrite")));

        Assert.Equal(Pairs(2, ("timeout", "0")), await raw.CallAsync(RawResp.Frame("CONFIG", "GET", "timeout")));
        Assert.Equal("+PONG\r\n", await raw.CallAsync(RawResp.Frame("PING")));
    }

    [Fact]
    public async Task Help_lists_the_parameters_served()
    {
        await using var raw = await RawResp.OpenAsync(proxy.Api.RespEndpoint);

        var help = await raw.CallAsync(RawResp.Frame("CONFIG", "HELP"));

        Assert.StartsWith("*8\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET <pattern> [<pattern> ...]\r\n", help, StringComparison.Ordinal);
        Assert.Contains($"\r\n+    {string.Join(", ", Defaults.Select(p => p.Name))}.\r\n", help, StringComparison.Ordinal);
        Assert.Contains("\r\n+    Not supported: the proxy is configured by its environment at start-up.\r\n", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_benchmark_fetches_the_config_and_runs_without_a_warning()
    {
        var endpoint = proxy.Api.RespEndpoint;
        using var benchmark = Process.Start(new ProcessStartInfo(
            "redis-benchmark", ["-h", endpoint.Host, "-p", endpoint.Port.ToString(CultureInfo.InvariantCulture), "-t", "get", "-n", "1000", "-c", "10"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = benchmark.StandardOutput.ReadToEndAsync();
        var errors = benchmark.StandardError.ReadToEndAsync();
        await benchmark.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var text = await output + await errors;
        Assert.Equal(0, benchmark.ExitCode);
        Assert.DoesNotContain("Could not fetch server CONFIG", text, StringComparison.Ordinal);
        // It prints the two values it asked for.
        Assert.Contains("host configuration \"save\": \n", text, StringComparison.Ordinal);
        Assert.Contains("host configuration \"appendonly\": no\n", text, StringComparison.Ordinal);
        Assert.Contains("1000 requests completed", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StackExchange_Redis_reads_the_config_and_still_treats_the_proxy_as_a_writable_primary()
    {
        var endpoint = proxy.Api.RespEndpoint;
        await using var client = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { endpoint.Host, endpoint.Port } },
            AbortOnConnectFail = true,
            ConnectTimeout = 15_000,
            AsyncTimeout = 15_000,
            SyncTimeout = 15_000,
        });
        var server = client.GetServer(endpoint.Host, endpoint.Port);
        var key = ProxyApp.UniqueKey();

        // databases: it knows how many databases are served, and refuses one beyond them before sending anything.
        Assert.Equal(16, server.DatabaseCount);
        var outOfRange = await Assert.ThrowsAsync<RedisCommandException>(() => client.GetDatabase(16).StringGetAsync(key));
        Assert.StartsWith("The database does not exist on the server", outOfRange.Message, StringComparison.Ordinal);

        // replica-read-only yes did not make it a replica: writes go to it.
        Assert.False(server.IsReplica);
        Assert.True(await client.GetDatabase().StringSetAsync(key, "written"));
        Assert.Equal("written", (string?)await client.GetDatabase().StringGetAsync(key));
        await using var backend = await ConnectionMultiplexer.ConnectAsync(proxy.Redis.ConnectionString);
        Assert.Equal("written", (string?)await backend.GetDatabase().StringGetAsync(key));
    }

    /// <summary>The reply to <paramref name="command"/> on a new connection, after HELLO 3 when <paramref name="protocol"/> is 3.</summary>
    public static async Task<string> CallAsync(Uri endpoint, int protocol, params string[] command)
    {
        await using var raw = await RawResp.OpenAsync(endpoint);
        if (protocol == 3)
        {
            Assert.StartsWith("%", await raw.CallAsync(RawResp.Frame("HELLO", "3")), StringComparison.Ordinal);
        }

        return await raw.CallAsync(RawResp.Frame(command));
    }

    /// <summary>A CONFIG GET reply listing <paramref name="pairs"/>: a flat array in RESP2, a map in RESP3.</summary>
    public static string Pairs(int protocol, params (string Name, string Value)[] pairs)
    {
        var reply = new StringBuilder(protocol == 3 ? $"%{pairs.Length}\r\n" : $"*{pairs.Length * 2}\r\n");
        foreach (var (name, value) in pairs)
        {
            reply.Append(CultureInfo.InvariantCulture, $"${name.Length}\r\n{name}\r\n${value.Length}\r\n{value}\r\n");
        }

        return reply.ToString();
    }

    /// <summary>The name and value pairs of a RESP2 CONFIG GET reply (bulk strings without line breaks).</summary>
    private static IEnumerable<(string Name, string Value)> ParsePairs(string reply)
    {
        var lines = reply.Split("\r\n");
        for (var i = 1; i + 3 < lines.Length; i += 4)
        {
            yield return (lines[i + 1], lines[i + 3]);
        }
    }
}
