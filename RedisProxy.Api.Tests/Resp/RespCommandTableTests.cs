using System.Text;
using RedisProxy.Api.Resp;

namespace RedisProxy.Api.Tests.Resp;

public sealed class RespCommandTableTests
{
    [Theory]
    [InlineData("GET", "Get")]
    [InlineData("get", "Get")]
    [InlineData("mGeT", "MGet")]
    [InlineData("config", "Config")]
    [InlineData("multi", "Multi")]
    // Everything else, near misses included, goes to the backend.
    [InlineData("unlink", "Forwarded")]
    [InlineData("COMMAND", "Forwarded")]
    [InlineData("GETS", "Forwarded")]
    [InlineData("GE", "Forwarded")]
    [InlineData("", "Forwarded")]
    public void Names_are_matched_case_insensitively_and_exactly(string name, string expected) =>
        Assert.Equal(expected, RespCommandTable.Identify(Encoding.ASCII.GetBytes(name)).ToString());
}
