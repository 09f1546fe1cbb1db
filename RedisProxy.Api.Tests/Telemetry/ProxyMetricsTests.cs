using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RedisProxy.Api.Core;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Tests.Telemetry;

/// <summary>The instruments report what the core does, against a real redis-server.</summary>
[Collection(SpanListeners.Collection)]
public sealed class ProxyMetricsTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly RedisServerProcess _redis = new();
    private ServiceProvider? _services;
    private ConnectionMultiplexer? _connection;

    private CachingProxy Proxy => _services!.GetRequiredService<CachingProxy>();

    private IMeterFactory Meters => _services!.GetRequiredService<IMeterFactory>();

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _services = CoreServices.Build(_connection, new() { ["CACHE_CAPACITY"] = "2" });

        // What the host does at start-up: the gauges observe the core from then on.
        _services.GetRequiredService<CoreGauges>();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _connection?.Dispose();
        await _redis.DisposeAsync();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    [Fact]
    public async Task Reads_are_counted_by_door_and_result()
    {
        using var reads = new MetricCollector<long>(Meters, ProxyTelemetry.Name, "redisproxy.reads");
        await _connection!.GetDatabase().StringSetAsync("present", "v");

        await Proxy.GetAsync("present"u8.ToArray(), 0, FrontDoor.Http, default);
        await Proxy.GetAsync("present"u8.ToArray(), 0, FrontDoor.Resp, default);
        await Proxy.GetAsync("absent"u8.ToArray(), 0, FrontDoor.Http, default);
        await Proxy.GetManyAsync(["present"u8.ToArray(), "absent"u8.ToArray()], 0, FrontDoor.Resp, default);

        reads.RecordObservableInstruments();
        var totals = reads.GetMeasurementSnapshot().ToDictionary(Tags, m => m.Value);
        Assert.Equal(8, totals.Count);
        Assert.Equal(1, totals[("http", "miss_found")]);
        Assert.Equal(1, totals[("http", "miss_absent")]);
        Assert.Equal(2, totals[("resp", "hit")]);
        Assert.Equal(1, totals[("resp", "miss_absent")]);
        Assert.Equal(5, totals.Values.Sum());
    }

    [Fact]
    public async Task Backend_calls_are_timed_and_cache_figures_observed()
    {
        using var durations = new MetricCollector<double>(Meters, ProxyTelemetry.Name, "redisproxy.backend.duration");
        using var entries = new MetricCollector<int>(Meters, ProxyTelemetry.Name, "redisproxy.cache.entries");
        using var evictions = new MetricCollector<long>(Meters, ProxyTelemetry.Name, "redisproxy.cache.evictions");

        foreach (var key in new[] { "a", "b", "c" })
        {
            await Proxy.SetAsync(System.Text.Encoding.UTF8.GetBytes(key), 0, "v"u8.ToArray(), Timeout.InfiniteTimeSpan, FrontDoor.Http, default);
        }

        var calls = durations.GetMeasurementSnapshot();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, call => Assert.True(call.Value > 0));
        Assert.All(calls, call => Assert.Equal("set", call.Tags["operation"]));
        Assert.All(calls, call => Assert.Equal("ok", call.Tags["outcome"]));

        entries.RecordObservableInstruments();
        evictions.RecordObservableInstruments();
        Assert.Equal(2, entries.LastMeasurement?.Value);
        Assert.Equal(1, evictions.LastMeasurement?.Value);
    }

    [Fact]
    public void Durations_have_buckets_from_well_below_a_millisecond_to_ten_seconds()
    {
        using var listener = new MeterListener();
        var boundaries = new Dictionary<string, IReadOnlyList<double>?>();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument is Histogram<double> histogram && instrument.Meter.Name == ProxyTelemetry.Name)
            {
                boundaries[instrument.Name] = histogram.Advice?.HistogramBucketBoundaries;
            }
        };
        listener.Start();

        var backend = boundaries["redisproxy.backend.duration"]!;
        var reads = boundaries["redisproxy.read.duration"]!;

        // The default boundaries (0, 5, 10, 25 … in the unit, seconds) put every call in the first bucket.
        Assert.Equal((0.0001, 10.0), (backend[0], backend[^1]));
        Assert.True(reads[0] <= 0.000001, "hits take well under a microsecond of the proxy's time");
        Assert.Equal(10.0, reads[^1]);
        Assert.Equal(backend.Order(), backend);
        Assert.Equal(reads.Order(), reads);
    }

    [Fact]
    public async Task A_hit_is_timed_in_a_sub_millisecond_bucket_and_a_miss_with_its_backend_call()
    {
        using var reads = new MetricCollector<double>(Meters, ProxyTelemetry.Name, "redisproxy.read.duration");
        using var calls = new MetricCollector<double>(Meters, ProxyTelemetry.Name, "redisproxy.backend.duration");
        await _connection!.GetDatabase().StringSetAsync("timed", "v");

        await Proxy.GetAsync("timed"u8.ToArray(), 0, FrontDoor.Resp, default);
        await Proxy.GetAsync("timed"u8.ToArray(), 0, FrontDoor.Resp, default);

        var (miss, hit) = (reads.GetMeasurementSnapshot()[0], reads.GetMeasurementSnapshot()[1]);
        Assert.Equal(("resp", "miss_found"), (miss.Tags["door"], miss.Tags["result"]));
        Assert.Equal(("resp", "hit"), (hit.Tags["door"], hit.Tags["result"]));
        // Below the first boundary under a millisecond: the dashboard's percentiles show microseconds, not "0-5 s".
        Assert.True(hit.Value < 0.001, $"a hit took {hit.Value} s");
        Assert.True(miss.Value >= calls.GetMeasurementSnapshot().Single().Value, "a miss includes its backend call");
    }

    [Fact]
    public async Task A_backend_call_is_a_client_span_with_the_database_conventions_and_no_key()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProxyTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await Proxy.GetAsync("secret-key-name"u8.ToArray(), 0, FrontDoor.Http, default);

        var span = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        Assert.Equal("GET", span.DisplayName);
        Assert.Equal("redis", span.GetTagItem("db.system.name"));
        Assert.Equal("GET", span.GetTagItem("db.operation.name"));
        Assert.Equal("0", span.GetTagItem("db.namespace"));
        Assert.Equal(("127.0.0.1", _redis.Port), (span.GetTagItem("server.address"), span.GetTagItem("server.port")));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains("secret", StringComparison.Ordinal) == true);
    }

    private static (object?, object?) Tags(CollectedMeasurement<long> measurement) =>
        (measurement.Tags["door"], measurement.Tags["result"]);
}
