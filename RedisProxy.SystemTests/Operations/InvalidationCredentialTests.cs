using System.Text.Json;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Operations;

/// <summary>The invalidation connection uses the same backend credentials as the proxy's own connection.</summary>
public sealed class InvalidationCredentialTests
{
    private const string Password = "tracking-needs-this";

    [Fact]
    public async Task Tracking_arms_against_a_password_protected_backend()
    {
        await using var redis = new RedisServerProcess(["--requirepass", Password]);
        await redis.StartAsync();
        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string>
        {
            ["REDIS_PASSWORD"] = Password,
            ["CACHE_INVALIDATION"] = "tracking",
        });
        await api.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        using var management = new HttpClient { BaseAddress = api.ManagementAddress };

        await Eventually.MatchesAsync(
            async () =>
            {
                using var status = JsonDocument.Parse(await management.GetStringAsync("/status"));
                return status.RootElement.GetProperty("invalidation").GetProperty("active").GetBoolean();
            },
            active => active,
            TimeSpan.FromSeconds(20),
            "tracking to be armed");
    }
}
