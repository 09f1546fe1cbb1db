using System.Text;
using RedisProxy.Api.Resp;

namespace RedisProxy.Api.Tests.Resp;

public sealed class RespCommandTableTests
{
    [Theory]
    [InlineData("GET", "Get")]
    [InlineData("get", "Get")]
    [InlineData("mGeT", "MGet")]
    [InlineData("unlink", "Unlink")]
    [InlineData("COMMAND", "Command")]
    [InlineData("config", "Config")]
    // Near misses are not commands.
    [InlineData("GETS", "Unknown")]
    [InlineData("GE", "Unknown")]
    [InlineData("", "Unknown")]
    public void Names_are_matched_case_insensitively_and_exactly(string name, string expected) =>
        Assert.Equal(expected, RespCommandTable.Identify(Encoding.ASCII.GetBytes(name)).ToString());

    [Fact]
    public void Count_matches_the_commands_answered() =>
        Assert.Equal(RespCommandTable.Count, Enum.GetValues<RespCommand>().Length - 1);

    [Theory]
    [InlineData("flushall", "FLUSHALL")]
    [InlineData("Keys", "KEYS")]
    [InlineData("CONFIG", null)]
    [InlineData("GETDEL", "GETDEL")]
    [InlineData("STRLEN", null)]
    [InlineData("GET", null)]
    public void Known_writes_and_admin_commands_are_refused_by_name(string name, string? refused) =>
        Assert.Equal(refused, RefusedCommands.Match(Encoding.ASCII.GetBytes(name)));
}
