using Microsoft.Extensions.Configuration;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Invalidation;

namespace RedisProxy.Api.Tests.Configuration;

/// <summary>The settings for running in production: cache invalidation and the shutdown grace period.</summary>
public sealed class OperatingSettingsTests
{
    [Fact]
    public void By_default_invalidation_is_off_and_shutdown_waits_ten_seconds()
    {
        var options = Read([]);

        Assert.Empty(options.Problems);
        Assert.Equal(CacheInvalidationMode.Off, options.CacheInvalidation);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ShutdownTimeout);
    }

    [Theory]
    [InlineData("off", CacheInvalidationMode.Off)]
    [InlineData("tracking", CacheInvalidationMode.Tracking)]
    [InlineData(" Tracking ", CacheInvalidationMode.Tracking)]
    public void Cache_invalidation_takes_its_mode_by_name(string value, CacheInvalidationMode expected)
    {
        var options = Read(new() { ["CACHE_INVALIDATION"] = value });

        Assert.Empty(options.Problems);
        Assert.Equal(expected, options.CacheInvalidation);
    }

    [Fact]
    public void Shutdown_timeout_is_read_in_seconds()
    {
        var options = Read(new() { ["SHUTDOWN_TIMEOUT_SECONDS"] = "25" });

        Assert.Empty(options.Problems);
        Assert.Equal(TimeSpan.FromSeconds(25), options.ShutdownTimeout);
    }

    [Theory]
    [InlineData("CACHE_INVALIDATION", "on")]
    [InlineData("CACHE_INVALIDATION", "1")]
    [InlineData("CACHE_INVALIDATION", "")]
    [InlineData("SHUTDOWN_TIMEOUT_SECONDS", "-1")]
    [InlineData("SHUTDOWN_TIMEOUT_SECONDS", "ten")]
    [InlineData("SHUTDOWN_TIMEOUT_SECONDS", "3601")]
    public void A_bad_value_is_one_problem_naming_its_variable_and_value(string name, string value)
    {
        var options = Read(new() { [name] = value });

        var problem = Assert.Single(options.Problems);
        Assert.StartsWith(name, problem, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_invalidation_mode_names_the_ones_that_exist()
    {
        var problem = Assert.Single(Read(new() { ["CACHE_INVALIDATION"] = "on" }).Problems);

        Assert.Contains("off or tracking", problem, StringComparison.Ordinal);
    }

    private static ProxyOptions Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new ProxyOptions();
        ProxyOptionsReader.Read(configuration, options);
        return options;
    }
}
