using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Tests.Telemetry;

/// <summary>
/// An HTTP request's span exists before the proxy knows the request is a hit; the sampler drops all but one hit in N
/// from what OpenTelemetry exports.
/// </summary>
public sealed class HitSamplerTests
{
    [Fact]
    public void Hit_spans_the_sampler_passes_over_never_reach_the_exporter()
    {
        using var source = new ActivitySource(nameof(HitSamplerTests));
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(source.Name).AddInMemoryExporter(exported).Build();
        var sampler = new HitSampler(3);

        for (var i = 0; i < 9; i++)
        {
            using var span = source.StartActivity("GET /{key}", ActivityKind.Server)!;
            sampler.KeepOrDrop(span);
        }

        tracing!.ForceFlush();
        Assert.Equal(3, exported.Count);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 12)]
    [InlineData(4, 3)]
    public void One_hit_in_n_is_taken(int oneIn, int taken)
    {
        var sampler = new HitSampler(oneIn);
        Assert.Equal(taken, Enumerable.Range(0, 12).Count(_ => sampler.Take()));
    }
}
