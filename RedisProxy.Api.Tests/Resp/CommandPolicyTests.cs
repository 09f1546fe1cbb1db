using RedisProxy.Api.Configuration;
using RedisProxy.Api.Resp;
using RedisProxy.Api.Tests.Commands;

namespace RedisProxy.Api.Tests.Resp;

/// <summary>What is forwarded and what is refused, over redis-server's own command table.</summary>
public sealed class CommandPolicyTests(RedisCommandsFixture redis) : IClassFixture<RedisCommandsFixture>
{
    [Theory]
    [InlineData("HSET h f v")]
    [InlineData("FLUSHALL")]
    [InlineData("KEYS *")]
    [InlineData("EVAL script 0")]
    [InlineData("XREAD COUNT 1 STREAMS s 0")]
    [InlineData("XREAD STREAMS BLOCK 0")]
    [InlineData("PUBLISH channel message")]
    [InlineData("OBJECT ENCODING k")]
    public void Data_commands_are_forwarded(string command) => Assert.Null(Refusal(new CommandPolicy(new ProxyOptions()), command));

    [Theory]
    [InlineData("CONFIG SET maxmemory 1", "an admin command")]
    [InlineData("SHUTDOWN", "an admin command")]
    [InlineData("DEBUG SLEEP 0", "an admin command")]
    [InlineData("ACL SETUSER u", "an admin command")]
    [InlineData("MONITOR", "its clients share connections")]
    [InlineData("CLIENT KILL ID 1", "its clients share connections")]
    [InlineData("CLIENT TRACKING ON", "its clients share connections")]
    public void Admin_commands_and_what_would_change_a_shared_connection_are_refused(string command, string reason) =>
        Assert.Contains(reason, Refusal(new CommandPolicy(new ProxyOptions()), command), StringComparison.Ordinal);

    [Theory]
    [InlineData("GET k", "Shared")]
    [InlineData("XREAD STREAMS s 0", "Shared")]
    [InlineData("PUBLISH c m", "Shared")]
    [InlineData("SUBSCRIBE c", "Subscribe")]
    [InlineData("PSUBSCRIBE c*", "Subscribe")]
    [InlineData("SSUBSCRIBE c", "Subscribe")]
    [InlineData("UNSUBSCRIBE", "Blocking")]
    [InlineData("BLPOP l 0", "Blocking")]
    [InlineData("BZPOPMIN z 1", "Blocking")]
    [InlineData("XREAD BLOCK 10 STREAMS s 0", "Blocking")]
    [InlineData("WAIT 1 0", "Blocking")]
    public void Subscribing_and_blocking_commands_need_a_pinned_connection(string command, string route)
    {
        var args = new TextArguments(command);
        Assert.Equal(route, CommandPolicy.Route(redis.Table.Find(args)!, args).ToString());
    }

    [Fact]
    public void The_settings_allow_admin_commands_and_deny_any_command()
    {
        var policy = new CommandPolicy(new ProxyOptions { RespAllowedCommands = ["debug", "config|resetstat"], RespDeniedCommands = ["keys", "object|freq"] });

        Assert.Null(Refusal(policy, "DEBUG SLEEP 0"));
        Assert.Null(Refusal(policy, "CONFIG RESETSTAT"));
        Assert.Contains("an admin command", Refusal(policy, "CONFIG REWRITE"), StringComparison.Ordinal);
        Assert.Equal("ERR 'KEYS' is not allowed through the proxy (RESP_DENY_COMMANDS)", Refusal(policy, "KEYS *"));
        Assert.Equal("ERR 'KEYS' is not allowed through the proxy (RESP_DENY_COMMANDS)", policy.DeniedByName(new TextArguments("keys *")));
        Assert.Equal("ERR 'OBJECT FREQ' is not allowed through the proxy (RESP_DENY_COMMANDS)", policy.DeniedByName(new TextArguments("OBJECT FREQ k")));
        Assert.Null(policy.DeniedByName(new TextArguments("OBJECT ENCODING k")));
        // Nothing allows what would change a shared connection.
        Assert.Contains("not supported", Refusal(new CommandPolicy(new ProxyOptions { RespAllowedCommands = ["monitor"] }), "MONITOR"), StringComparison.Ordinal);
    }

    private string? Refusal(CommandPolicy policy, string command)
    {
        var args = new TextArguments(command);
        return policy.Refusal(redis.Table.Find(args)!, args);
    }
}
