using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Resp;

/// <summary>RESP_DENY_COMMANDS and RESP_ALLOW_COMMANDS, end to end: a denied command never reaches Redis, an allowed admin command does.</summary>
public sealed class CommandPolicySettingsTests(CommandPolicySettingsTests.PolicyProxy proxy) : IClassFixture<CommandPolicySettingsTests.PolicyProxy>
{
    [Fact]
    public async Task Denied_commands_are_refused_and_allowed_admin_commands_are_forwarded()
    {
        await using var raw = await RawResp.OpenAsync(proxy.Api.RespEndpoint);

        Assert.Equal("-ERR 'KEYS' is not allowed through the proxy (RESP_DENY_COMMANDS)\r\n", await raw.CallAsync(RawResp.Frame("KEYS", "*")));
        Assert.Equal("-ERR 'GETDEL' is not allowed through the proxy (RESP_DENY_COMMANDS)\r\n", await raw.CallAsync(RawResp.Frame("GETDEL", "k")));
        // SLOWLOG is an admin command, allowed here: it reaches Redis.
        Assert.Equal("+OK\r\n", await raw.CallAsync(RawResp.Frame("SLOWLOG", "RESET")));
        Assert.Matches(@"^:\d+\r\n$", await raw.CallAsync(RawResp.Frame("SLOWLOG", "LEN")));
        Assert.StartsWith("-ERR 'DEBUG' is not allowed through the proxy", await raw.CallAsync(RawResp.Frame("DEBUG", "SLEEP", "0")), StringComparison.Ordinal);
    }

    public sealed class PolicyProxy : StandaloneProxy
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["RESP_DENY_COMMANDS"] = "keys, getdel",
            ["RESP_ALLOW_COMMANDS"] = "slowlog",
        };
    }
}
