using Microsoft.Extensions.Configuration;
using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Tests.Configuration;

/// <summary>The settings that bound what one client connection may hold: RESP timeouts and Kestrel's HTTP limits.</summary>
public sealed class ConnectionLimitSettingsTests
{
    [Fact]
    public void By_default_idle_connections_stay_and_slow_requests_are_cut_off()
    {
        var options = Read([]);

        Assert.Empty(options.Problems);
        Assert.Equal(TimeSpan.Zero, options.RespIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RespFrameTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.HttpHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(130), options.HttpKeepAliveTimeout);
        Assert.Equal(32 * 1024, options.HttpMaxHeaderBytes);
        Assert.Equal(32 * 1024 * 1024, options.MaxValueBytes);
        Assert.Equal(240, options.HttpMinBodyBytesPerSecond);
    }

    [Fact]
    public void Every_limit_is_read_from_its_variable()
    {
        var options = Read(new()
        {
            ["RESP_IDLE_TIMEOUT_SECONDS"] = "300",
            ["RESP_FRAME_TIMEOUT_SECONDS"] = "5",
            ["HTTP_HEADERS_TIMEOUT_SECONDS"] = "3",
            ["HTTP_KEEPALIVE_TIMEOUT_SECONDS"] = "60",
            ["HTTP_MAX_HEADER_BYTES"] = "65536",
            ["MAX_VALUE_BYTES"] = "1048576",
            ["HTTP_MIN_BODY_BYTES_PER_SECOND"] = "1000",
        });

        Assert.Empty(options.Problems);
        Assert.Equal(TimeSpan.FromSeconds(300), options.RespIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RespFrameTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.HttpHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.HttpKeepAliveTimeout);
        Assert.Equal(65536, options.HttpMaxHeaderBytes);
        Assert.Equal(1048576, options.MaxValueBytes);
        Assert.Equal(1000, options.HttpMinBodyBytesPerSecond);
    }

    [Fact]
    public void Zero_turns_off_the_resp_timeouts_and_the_body_rate()
    {
        var options = Read(new()
        {
            ["RESP_IDLE_TIMEOUT_SECONDS"] = "0",
            ["RESP_FRAME_TIMEOUT_SECONDS"] = "0",
            ["HTTP_MIN_BODY_BYTES_PER_SECOND"] = "0",
        });

        Assert.Empty(options.Problems);
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero, 0), (options.RespIdleTimeout, options.RespFrameTimeout, options.HttpMinBodyBytesPerSecond));
    }

    [Theory]
    [InlineData("RESP_IDLE_TIMEOUT_SECONDS", "-1")]
    [InlineData("RESP_IDLE_TIMEOUT_SECONDS", "1.5")]
    [InlineData("RESP_FRAME_TIMEOUT_SECONDS", "forever")]
    [InlineData("RESP_FRAME_TIMEOUT_SECONDS", "86401")]
    // Kestrel cannot wait for headers forever: zero is refused rather than meaning "off".
    [InlineData("HTTP_HEADERS_TIMEOUT_SECONDS", "0")]
    [InlineData("HTTP_KEEPALIVE_TIMEOUT_SECONDS", "")]
    [InlineData("HTTP_MAX_HEADER_BYTES", "100")]
    [InlineData("MAX_VALUE_BYTES", "0")]
    [InlineData("MAX_VALUE_BYTES", "2147483647")]
    [InlineData("HTTP_MIN_BODY_BYTES_PER_SECOND", "-240")]
    public void A_bad_value_is_one_problem_naming_its_variable_and_value(string name, string value)
    {
        var options = Read(new() { [name] = value });

        var problem = Assert.Single(options.Problems);
        Assert.StartsWith(name, problem, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", problem, StringComparison.Ordinal);
    }

    private static ProxyOptions Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new ProxyOptions();
        ProxyOptionsReader.Read(configuration, options);
        return options;
    }
}
