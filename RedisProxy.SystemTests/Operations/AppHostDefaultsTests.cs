using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using RedisProxy.Api.Configuration;

namespace RedisProxy.SystemTests.Operations;

/// <summary>The AppHost's parameters default to the API's own defaults: one meaning for each setting, wherever it is read.</summary>
public sealed class AppHostDefaultsTests
{
    [Fact]
    public async Task Every_parameter_default_is_the_api_s_own()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.RedisProxy_AppHost>(
            ["--redis-mode", "external", "--ConnectionStrings:redis=127.0.0.1:1"]);
        var parameters = builder.Resources.OfType<ParameterResource>().ToDictionary(p => p.Name);
        var defaults = new ProxyOptions();

        Assert.Equal(Invariant(defaults.CacheCapacity), await parameters["cache-capacity"].GetValueAsync(default));
        Assert.Equal(Invariant(defaults.CacheExpiry.TotalSeconds), await parameters["cache-expiry"].GetValueAsync(default));
        Assert.Equal(Invariant(defaults.MaxConcurrentRequests), await parameters["max-concurrent-requests"].GetValueAsync(default));
        Assert.Equal(defaults.CacheInvalidation.ToString().ToLowerInvariant(), await parameters["cache-invalidation"].GetValueAsync(default));
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
