using Microsoft.AspNetCore.Http;
using RedisProxy.Api.Http;

namespace RedisProxy.Api.Tests.Http;

public sealed class ValueNegotiationTests
{
    [Theory]
    [InlineData("application/octet-stream", true)]
    [InlineData("application/octet-stream, */*;q=0.1", true)]
    [InlineData("application/json;q=0.4, application/octet-stream", true)]
    [InlineData("application/*;q=0.5, application/octet-stream", true)]
    [InlineData("APPLICATION/OCTET-STREAM", true)]
    [InlineData(null, false)] // no Accept: the seed's JSON
    [InlineData("*/*", false)]
    [InlineData("application/json", false)]
    [InlineData("application/json, application/octet-stream", false)] // a tie goes to JSON, the default
    [InlineData("application/octet-stream;q=0.5, */*", false)] // JSON is covered by */* at 1
    [InlineData("application/octet-stream;q=0", false)] // q=0 means not acceptable
    [InlineData("text/plain", false)]
    public void Raw_bytes_only_when_asked_for_by_name_above_json(string? accept, bool expected)
    {
        var context = new DefaultHttpContext();
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        Assert.Equal(expected, ValueNegotiation.WantsRawBytes(context.Request));
    }
}
