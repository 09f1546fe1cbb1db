using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Operations;

/// <summary>The API run on its own, configured by the seed's environment variables only.</summary>
public sealed class StandaloneApiTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("CACHE_CAPACITY", "abc")]
    [InlineData("CACHE_CAPACITY", "0")]
    [InlineData("CACHE_EXPIRY", "-5")]
    [InlineData("MAX_CONCURRENT_REQUESTS", "zero")]
    [InlineData("PROXY_PORT", "99999")]
    public async Task A_bad_setting_stops_start_up_with_one_message_naming_it(string name, string value)
    {
        await using var api = ApiProcess.Start(new Dictionary<string, string> { [name] = value });

        var exitCode = await api.WaitForExitAsync(StartTimeout);

        Assert.Equal(2, exitCode);
        var message = Assert.Single(api.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("RedisProxy cannot start:", message, StringComparison.Ordinal);
        Assert.Contains(name, message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_already_in_use_stops_start_up_with_a_message_naming_its_setting_not_a_crash()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var api = ApiProcess.Start(new Dictionary<string, string>
        {
            ["PROXY_RESP_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        });

        var exitCode = await api.WaitForExitAsync(StartTimeout);

        // 1, not the 134 of an aborted process; and the last word is which setting to change.
        Assert.Equal(1, exitCode);
        Assert.Contains(
            $"RedisProxy cannot start: cannot listen on PROXY_RESP_PORT {port} at 127.0.0.1: it is already in use by another process.",
            api.Output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", api.Output, StringComparison.Ordinal);
        // The one line alone: the port is found taken before the host starts, so the host logs no stack trace of its own.
        Assert.DoesNotContain("Hosting failed to start", api.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", api.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_variables_alone_configure_the_listener_and_the_backend()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string>
        {
            ["CACHE_CAPACITY"] = "2",
        });
        await api.WaitUntilServingAsync(StartTimeout);
        using var http = new HttpClient { BaseAddress = api.HttpAddress };

        using (var put = await http.PutAsync("/standalone", new StringContent("works")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal("""{"value":"works","source":"local","status_code":200}""", await http.GetStringAsync("/standalone"));
        Assert.Contains("\"capacity\":2", await http.GetStringAsync("/cache"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_without_a_backend_it_serves_503_reports_unhealthy_and_recovers_when_Redis_appears()
    {
        await using var redis = new RedisServerProcess();
        await using var api = ApiProcess.StartOver(redis);
        await api.WaitUntilServingAsync(StartTimeout);
        using var http = new HttpClient { BaseAddress = api.HttpAddress };
        using var management = new HttpClient { BaseAddress = api.ManagementAddress };

        using (var response = await http.GetAsync("/anything"))
        {
            Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"got {response.StatusCode}");
        }

        using (var health = await management.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await redis.StartAsync();
        await Eventually.MatchesAsync(
            async () =>
            {
                using var response = await http.GetAsync("/anything");
                return response.StatusCode;
            },
            status => status == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30),
            "the proxy to reach the backend that appeared");
        using var healthy = await management.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task A_dead_backend_is_logged_once_per_state_change_not_once_per_request()
    {
        await using var redis = new RedisServerProcess();
        await using var api = ApiProcess.StartOver(redis);
        await api.WaitUntilServingAsync(StartTimeout);
        using var http = new HttpClient { BaseAddress = api.HttpAddress };

        for (var i = 0; i < 30; i++)
        {
            using var response = await http.GetAsync($"/dead-{i}");
            Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"got {response.StatusCode}");
        }

        var lines = api.Output.Split('\n');
        Assert.Single(lines, line => line.Contains("unreachable at start-up", StringComparison.Ordinal));
        // The breaker re-opens after each failed half-open probe, so a few openings are expected — far fewer than 30.
        var openings = lines.Count(line => line.Contains("circuit opened", StringComparison.Ordinal));
        Assert.InRange(openings, 1, 10);
        Assert.DoesNotContain(lines, line => line.Contains("dead-", StringComparison.Ordinal));
        var warningsAndErrors = lines.Count(line => line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal));
        Assert.True(warningsAndErrors <= openings + 2, $"{warningsAndErrors} warnings or errors for 30 failed requests:\n{api.Output}");
    }
}
