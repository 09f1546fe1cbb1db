using Microsoft.Extensions.Configuration;
using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Tests.Configuration;

public sealed class ProxyOptionsReaderTests
{
    [Fact]
    public void Without_settings_the_seed_defaults_apply()
    {
        var options = Read([]);

        Assert.Empty(options.Problems);
        Assert.Equal("0.0.0.0", options.ListenAddress);
        Assert.Equal(8989, options.HttpPort);
        Assert.Equal(6380, options.RespPort);
        Assert.Equal("localhost", options.RedisHost);
        Assert.Equal(6379, options.RedisPort);
        Assert.Equal(TimeSpan.FromSeconds(3600), options.CacheExpiry);
        Assert.Equal(1500, options.CacheCapacity);
        Assert.Equal(11, options.MaxConcurrentRequests);
        Assert.Equal((512 * 1024 * 1024, 1024 * 1024, 64 * 1024), (options.RespMaxBulkBytes, options.RespMaxMultibulkLength, options.RespMaxInlineBytes));
        Assert.Null(options.RequirePass);
        Assert.True(options.InlineScheduling);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), options.IoThreads);
    }

    [Fact]
    public void Inline_scheduling_and_its_event_threads_are_read()
    {
        var options = Read(new() { ["PROXY_INLINE_SCHEDULING"] = "false", ["PROXY_IO_THREADS"] = "3" });

        Assert.False(options.InlineScheduling);
        Assert.Equal(3, options.IoThreads);
    }

    [Fact]
    public void Resp_limits_and_the_password_are_read()
    {
        var options = Read(new()
        {
            ["RESP_MAX_BULK_BYTES"] = "1048576",
            ["RESP_MAX_MULTIBULK_LENGTH"] = "100",
            ["RESP_MAX_INLINE_BYTES"] = "4096",
            ["PROXY_REQUIREPASS"] = " s3cret ",
        });

        Assert.Empty(options.Problems);
        Assert.Equal((1048576, 100, 4096), (options.RespMaxBulkBytes, options.RespMaxMultibulkLength, options.RespMaxInlineBytes));
        // A password is taken exactly as given: spaces are part of it, as in Redis's requirepass.
        Assert.Equal(" s3cret ", options.RequirePass);
    }

    [Fact]
    public void Command_lists_are_read_lower_cased_and_split_on_commas()
    {
        var options = Read(new() { ["RESP_DENY_COMMANDS"] = "KEYS, flushall,Object|Freq ", ["RESP_ALLOW_COMMANDS"] = "config|resetstat" });

        Assert.Empty(options.Problems);
        Assert.Equal(["keys", "flushall", "object|freq"], options.RespDeniedCommands);
        Assert.Equal(["config|resetstat"], options.RespAllowedCommands);
    }

    [Fact]
    public void An_empty_password_is_a_problem_that_does_not_echo_the_value()
    {
        var options = Read(new() { ["PROXY_REQUIREPASS"] = "" });

        Assert.StartsWith("PROXY_REQUIREPASS must not be empty", Assert.Single(options.Problems), StringComparison.Ordinal);
        Assert.Null(options.RequirePass);
    }

    [Fact]
    public void Seed_variables_are_read()
    {
        var options = Read(new()
        {
            ["PROXY_IP"] = "127.0.0.1",
            ["PROXY_PORT"] = "9000",
            ["REDIS_SERVER_IP"] = "redis.internal",
            ["REDIS_SERVER_PORT"] = "7000",
            ["CACHE_EXPIRY"] = "0.5",
            ["CACHE_CAPACITY"] = "3",
            ["MAX_CONCURRENT_REQUESTS"] = "2",
        });

        Assert.Empty(options.Problems);
        Assert.Equal(("127.0.0.1", 9000, "redis.internal", 7000), (options.ListenAddress, options.HttpPort, options.RedisHost, options.RedisPort));
        Assert.Equal((TimeSpan.FromMilliseconds(500), 3, 2), (options.CacheExpiry, options.CacheCapacity, options.MaxConcurrentRequests));
    }

    [Theory]
    [InlineData("CACHE_CAPACITY", "abc")]
    [InlineData("CACHE_CAPACITY", "0")]
    [InlineData("CACHE_CAPACITY", "-5")]
    [InlineData("CACHE_CAPACITY", "1.5")]
    [InlineData("CACHE_EXPIRY", "soon")]
    [InlineData("CACHE_EXPIRY", "0")]
    [InlineData("CACHE_EXPIRY", "-1")]
    [InlineData("CACHE_EXPIRY", "NaN")]
    [InlineData("MAX_CONCURRENT_REQUESTS", "0")]
    [InlineData("MAX_CONCURRENT_REQUESTS", "many")]
    [InlineData("PROXY_PORT", "70000")]
    [InlineData("PROXY_PORT", "")]
    [InlineData("REDIS_SERVER_PORT", "0")]
    [InlineData("PROXY_RESP_PORT", "-1")]
    [InlineData("CACHE_MAX_VALUE_BYTES", "-1")]
    [InlineData("CACHE_MAX_BYTES", "-1")]
    [InlineData("CACHE_MAX_BYTES", "1GB")]
    [InlineData("CACHE_MAX_VALUE_BYTES", "1MB")]
    [InlineData("PROXY_MANAGEMENT_PORT", "http")]
    [InlineData("PROXY_IP", "not-an-ip")]
    [InlineData("MAX_QUEUED_REQUESTS", "-1")]
    [InlineData("BACKEND_TIMEOUT_MS", "0")]
    [InlineData("MAX_KEY_BYTES", "0")]
    [InlineData("REDIS_TLS", "maybe")]
    [InlineData("PROXY_INLINE_SCHEDULING", "fast")]
    [InlineData("PROXY_IO_THREADS", "0")]
    [InlineData("PROXY_IO_THREADS", "many")]
    [InlineData("RESP_MAX_BULK_BYTES", "0")]
    [InlineData("RESP_MAX_BULK_BYTES", "2147483647")]
    [InlineData("RESP_MAX_MULTIBULK_LENGTH", "0")]
    [InlineData("RESP_MAX_MULTIBULK_LENGTH", "lots")]
    [InlineData("RESP_MAX_INLINE_BYTES", "8")]
    [InlineData("RESP_DENY_COMMANDS", "keys;flushall")]
    [InlineData("RESP_ALLOW_COMMANDS", "config set")]
    public void A_bad_value_is_one_problem_naming_its_variable_and_value(string name, string value)
    {
        var options = Read(new() { [name] = value });

        var problem = Assert.Single(options.Problems);
        Assert.StartsWith(name, problem, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REDIS_SERVER_IP", " ")]
    [InlineData("PROXY_IP", "")]
    [InlineData("PROXY_REQUIREPASS", "")]
    public void An_empty_value_is_one_problem_naming_its_variable(string name, string value)
    {
        var options = Read(new() { [name] = value });

        Assert.StartsWith(name, Assert.Single(options.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once()
    {
        var options = Read(new() { ["CACHE_CAPACITY"] = "x", ["CACHE_EXPIRY"] = "y" });
        Assert.Equal(2, options.Problems.Count);
    }

    [Fact]
    public void Backend_credentials_are_read_and_tls_accepts_the_usual_spellings()
    {
        var options = Read(new() { ["REDIS_USER"] = "proxy", ["REDIS_PASSWORD"] = "p,a=ss", ["REDIS_TLS"] = "yes" });

        Assert.Empty(options.Problems);
        Assert.Equal(("proxy", "p,a=ss", true), (options.RedisUser, options.RedisPassword, options.RedisTls));
        Assert.False(Read([]).RedisTls);
        Assert.Null(Read([]).RedisPassword);
    }

    [Fact]
    public void Ports_must_differ()
    {
        var options = Read(new() { ["PROXY_PORT"] = "7000", ["PROXY_MANAGEMENT_PORT"] = "7000" });
        Assert.Contains("PROXY_PORT and PROXY_MANAGEMENT_PORT", Assert.Single(options.Problems), StringComparison.Ordinal);
    }

    private static ProxyOptions Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new ProxyOptions();
        ProxyOptionsReader.Read(configuration, options);
        return options;
    }
}
