using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace RedisProxy.Api.Tests.Telemetry;

/// <summary>What ServiceDefaults exports of ASP.NET Core's request duration: buckets fine enough for cache hits.</summary>
public sealed class RequestDurationBucketsTests
{
    [Fact]
    public void A_request_of_thirty_microseconds_is_exported_in_a_bucket_under_fifty()
    {
        var builder = Host.CreateApplicationBuilder();
        // Only with an OTLP endpoint does ServiceDefaults configure OpenTelemetry; nothing listens there.
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        builder.ConfigureOpenTelemetry();
        var exported = new List<Metric>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddInMemoryExporter(exported));
        using var host = builder.Build();
        var provider = host.Services.GetRequiredService<MeterProvider>();
        using var meter = new Meter("Microsoft.AspNetCore.Hosting");

        meter.CreateHistogram<double>("http.server.request.duration", "s").Record(0.00003);
        provider.ForceFlush();

        var metric = exported.Last(m => m.Name == "http.server.request.duration");
        var bounds = new List<(double Bound, long Count)>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            foreach (var bucket in point.GetHistogramBuckets())
            {
                bounds.Add((bucket.ExplicitBound, bucket.BucketCount));
            }
        }

        Assert.Equal(0.00005, bounds.Single(bucket => bucket.Count == 1).Bound);
        Assert.Equal(Extensions.RequestDurationBuckets, bounds.Select(bucket => bucket.Bound).Where(double.IsFinite));
    }
}
