using System.Net;
using System.Net.Http.Headers;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Security;

/// <summary>PROXY_REQUIREPASS on the HTTP door: Bearer token required on every key-port route; health stays open.</summary>
public sealed class ClientAuthenticationTests
{
    private const string Secret = "let-me-in";

    [Fact]
    public async Task Without_or_with_a_wrong_bearer_token_the_key_port_answers_401_and_with_the_right_one_it_serves()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string> { ["PROXY_REQUIREPASS"] = Secret });
        using var http = new HttpClient { BaseAddress = api.HttpAddress };
        using var management = new HttpClient { BaseAddress = api.ManagementAddress };
        await Eventually.MatchesAsync(
            async () => await TryGetStatusAsync(management, "/alive"),
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            "the API to start");

        foreach (var (scheme, token) in new (string?, string?)[] { (null, null), ("Bearer", "wrong"), ("Basic", Secret), ("Bearer", Secret + "x") })
        {
            foreach (var path in new[] { "/some-key", "/ping", "/cache" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (scheme is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
                }

                using var refused = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
                var body = await ProxyApp.ReadJsonAsync(refused);
                Assert.Equal(401, body.GetProperty("status_code").GetInt32());
            }
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        using (var put = await http.PutAsync("/some-key", new StringContent("opened")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal("""{"value":"opened","source":"local","status_code":200}""", await http.GetStringAsync("/some-key"));
        Assert.Equal(HttpStatusCode.OK, await TryGetStatusAsync(management, "/health"));
        Assert.DoesNotContain(Secret, api.Output, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode?> TryGetStatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}

/// <summary>The AppHost's secret <c>proxy-password</c> parameter reaches both front doors.</summary>
public sealed class AppHostClientPasswordTests(PasswordProtectedProxyApp proxy) : IClassFixture<PasswordProtectedProxyApp>
{
    [Fact]
    public async Task The_secret_parameter_guards_http_and_resp()
    {
        using (var refused = await proxy.Http.GetAsync("/ping"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/ping");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PasswordProtectedProxyApp.Password);
        using (var allowed = await proxy.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var resp = proxy.RespEndpoint;
        await using var anonymous = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{resp.Host}:{resp.Port},abortConnect=false,connectTimeout=2000");
        await Assert.ThrowsAnyAsync<StackExchange.Redis.RedisException>(() => anonymous.GetDatabase().StringGetAsync("k"));

        await using var authenticated = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{resp.Host}:{resp.Port},password={PasswordProtectedProxyApp.Password}");
        await proxy.Backend.StringSetAsync("guarded-by-apphost", "v");
        Assert.Equal("v", (string?)await authenticated.GetDatabase().StringGetAsync("guarded-by-apphost"));
    }
}

/// <summary>The AppHost with its <c>proxy-password</c> parameter set.</summary>
public sealed class PasswordProtectedProxyApp : ProxyApp
{
    public const string Password = "apphost-secret";

    protected override IEnumerable<string> AppHostArguments => [$"--Parameters:proxy-password={Password}"];
}
