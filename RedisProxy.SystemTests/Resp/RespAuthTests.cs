using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Resp;

/// <summary>The AppHost with PROXY_REQUIREPASS set for the API.</summary>
public sealed class RequirePassProxyApp : ProxyApp
{
    public const string Password = "correct horse battery staple";

    protected override IReadOnlyDictionary<string, string> ApiEnvironment => new Dictionary<string, string>
    {
        ["PROXY_REQUIREPASS"] = Password,
    };
}

/// <summary>With PROXY_REQUIREPASS set, RESP clients must authenticate first, as with Redis's requirepass.</summary>
public sealed class RespAuthTests(RequirePassProxyApp proxy) : IClassFixture<RequirePassProxyApp>
{
    [Fact]
    public async Task Before_auth_only_auth_hello_quit_and_reset_are_allowed()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        Assert.Equal("-NOAUTH Authentication required.\r\n", await raw.CallAsync("PING\r\n"));
        Assert.Equal("-NOAUTH Authentication required.\r\n", await raw.CallAsync($"GET {ProxyApp.UniqueKey()}\r\n"));
        Assert.Equal("-NOAUTH Authentication required.\r\n", await raw.CallAsync("CONFIG GET *\r\n"));
        Assert.StartsWith("-NOAUTH HELLO must be called with the client already authenticated", await raw.CallAsync("HELLO 3\r\n"), StringComparison.Ordinal);
        Assert.Equal("+RESET\r\n", await raw.CallAsync("RESET\r\n"));
        Assert.Equal("-NOAUTH Authentication required.\r\n", await raw.CallAsync("PING\r\n"));
    }

    [Fact]
    public async Task A_wrong_password_or_user_is_wrongpass_and_the_right_one_opens_the_connection()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", await raw.CallAsync("AUTH wrong\r\n"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", await raw.CallAsync($"AUTH someone \"{RequirePassProxyApp.Password}\"\r\n"));
        Assert.Equal("-NOAUTH Authentication required.\r\n", await raw.CallAsync("PING\r\n"));

        Assert.Equal("+OK\r\n", await raw.CallAsync($"AUTH \"{RequirePassProxyApp.Password}\"\r\n"));
        Assert.Equal("+PONG\r\n", await raw.CallAsync("PING\r\n"));

        // RESET forgets the authentication.
        Assert.Equal("+RESET\r\n", await raw.CallAsync("RESET\r\n"));
        Assert.Equal("-NOAUTH Authentication required.\r\n", await raw.CallAsync("PING\r\n"));
    }

    [Fact]
    public async Task Hello_with_auth_authenticates_and_switches_protocol_in_one_step()
    {
        await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);

        Assert.StartsWith("-WRONGPASS", await raw.CallAsync("HELLO 3 AUTH default nope\r\n"), StringComparison.Ordinal);
        var hello = await raw.CallAsync($"HELLO 3 AUTH default \"{RequirePassProxyApp.Password}\" SETNAME me\r\n");

        Assert.StartsWith("%7\r\n", hello, StringComparison.Ordinal);
        Assert.Equal("$2\r\nme\r\n", await raw.CallAsync("CLIENT GETNAME\r\n"));
        Assert.Equal("_\r\n", await raw.CallAsync($"GET {ProxyApp.UniqueKey()}\r\n"));
    }

    [Fact]
    public async Task StackExchange_Redis_connects_with_the_password_and_reads_through()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "secret value");

        await using var client = await proxy.ConnectClientAsync(RequirePassProxyApp.Password);

        Assert.Equal("secret value", (string?)await client.GetDatabase().StringGetAsync(key));
    }

    [Fact]
    public async Task StackExchange_Redis_with_a_wrong_password_cannot_connect()
    {
        await Assert.ThrowsAsync<RedisConnectionException>(() => proxy.ConnectClientAsync("wrong"));
    }
}
