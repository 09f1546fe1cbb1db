using System.Net;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Backend;

/// <summary>A backend that requires a password: REDIS_PASSWORD opens it, and the secret never reaches the logs.</summary>
public sealed class BackendCredentialTests
{
    private const string Password = "s3cret,with=odd;chars";

    [Fact]
    public async Task The_password_opens_a_protected_backend_and_is_never_logged()
    {
        await using var redis = new RedisServerProcess(["--requirepass", Password]);
        await redis.StartAsync();
        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string>
        {
            ["REDIS_PASSWORD"] = Password,
            ["Logging__LogLevel__Default"] = "Debug",
        });
        await api.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = api.HttpAddress };

        using (var put = await http.PutAsync("/guarded", new StringContent("ok")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await http.GetStringAsync("/cache");
        Assert.DoesNotContain(Password, api.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_a_503_and_an_unhealthy_proxy_not_a_404()
    {
        await using var redis = new RedisServerProcess(["--requirepass", Password]);
        await redis.StartAsync();
        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string>
        {
            ["REDIS_PASSWORD"] = "wrong",
        });
        await api.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = api.HttpAddress };
        using var management = new HttpClient { BaseAddress = api.ManagementAddress };

        using var response = await http.GetAsync("/guarded");
        Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"got {response.StatusCode}");
        using var health = await management.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.DoesNotContain("wrong", api.Output, StringComparison.Ordinal);
    }
}
