using Microsoft.AspNetCore.Server.Kestrel.Core;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Hosting;

namespace RedisProxy.Api.Tests.Hosting;

/// <summary>The settings reach Kestrel's limits, which are what cut off slow and oversized HTTP requests.</summary>
public sealed class KestrelLimitsTests
{
    [Fact]
    public void Each_http_setting_sets_its_kestrel_limit()
    {
        var limits = new KestrelServerLimits();
        var settings = new ProxyOptions
        {
            HttpHeadersTimeout = TimeSpan.FromSeconds(3),
            HttpKeepAliveTimeout = TimeSpan.FromSeconds(45),
            HttpMaxHeaderBytes = 16 * 1024,
            MaxValueBytes = 1024 * 1024,
            HttpMinBodyBytesPerSecond = 500,
        };

        ProxyHostingExtensions.LimitHttpRequests(limits, settings);

        Assert.Equal(TimeSpan.FromSeconds(3), limits.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), limits.KeepAliveTimeout);
        Assert.Equal(16 * 1024, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(1024 * 1024, limits.MaxRequestBodySize);
        Assert.NotNull(limits.MinRequestBodyDataRate);
        Assert.Equal(500, limits.MinRequestBodyDataRate.BytesPerSecond);
    }

    [Fact]
    public void A_zero_body_rate_turns_the_rate_check_off()
    {
        var limits = new KestrelServerLimits();

        ProxyHostingExtensions.LimitHttpRequests(limits, new ProxyOptions { HttpMinBodyBytesPerSecond = 0 });

        Assert.Null(limits.MinRequestBodyDataRate);
    }
}
