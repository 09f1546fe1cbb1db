using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Hosting;
using RedisProxy.Api.Resp;
using RedisProxy.Api.Telemetry;
using RedisProxy.Benchmarks.Caching;
using StackExchange.Redis;

namespace RedisProxy.Benchmarks.Tracing;

/// <summary>
/// What telemetry costs a RESP cache hit: a session of the proxy core answers a pipelined batch of GET hits over
/// in-memory pipes, with nobody listening (the baseline), with OpenTelemetry's SDK collecting the proxy's metrics, and
/// its metrics and traces as when the dashboard is attached (exported to an exporter that drops them, so no network
/// is measured), tracing one hit in 100 (the default) or every hit. Needs redis-server on the PATH to fill the cache.
/// </summary>
[Config(typeof(CacheBenchmarkConfig))]
public class RespHitTracingBenchmarks : IDisposable
{
    private const int Batch = 256;
    private static readonly byte[] Requests = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET hit\r\n", Batch)));
    private static readonly int RepliesLength = "$5\r\nvalue\r\n".Length * Batch;

    private Process? _redis;
    private ConnectionMultiplexer? _connection;
    private ServiceProvider? _services;
    private TracerProvider? _tracing;
    private MeterProvider? _metrics;
    private Pipe? _requests;
    private Pipe? _replies;
    private RespSession? _session;
    private Task? _running;

    [GlobalSetup(Target = nameof(NobodyListening))]
    public void SetUpNobodyListening() => SetUp(traceHitsOneIn: 100, metrics: false, traces: false);

    [GlobalSetup(Target = nameof(Metrics))]
    public void SetUpMetrics() => SetUp(traceHitsOneIn: 100, metrics: true, traces: false);

    [GlobalSetup(Target = nameof(MetricsAndTracesOneHitIn100))]
    public void SetUpOneHitIn100() => SetUp(traceHitsOneIn: 100, metrics: true, traces: true);

    [GlobalSetup(Target = nameof(MetricsAndTracesEveryHit))]
    public void SetUpEveryHit() => SetUp(traceHitsOneIn: 1, metrics: true, traces: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int NobodyListening() => AnswerBatch();

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Metrics() => AnswerBatch();

    [Benchmark(OperationsPerInvoke = Batch)]
    public int MetricsAndTracesOneHitIn100() => AnswerBatch();

    [Benchmark(OperationsPerInvoke = Batch)]
    public int MetricsAndTracesEveryHit() => AnswerBatch();

    [GlobalCleanup]
    public void Dispose()
    {
        _requests?.Writer.Complete();
        _running?.GetAwaiter().GetResult();
        _session?.Dispose();
        _session = null;
        _tracing?.Dispose();
        _metrics?.Dispose();
        _services?.Dispose();
        _connection?.Dispose();
        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            _redis.WaitForExit();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Both pipes run their continuations inline, so the session answers the whole batch on this thread before the
    /// write returns: what is measured is the hit path's CPU, not thread hand-offs.
    /// </summary>
    private int AnswerBatch()
    {
        var written = _requests!.Writer.WriteAsync(Requests);
        if (!written.IsCompletedSuccessfully || !_replies!.Reader.TryRead(out var read) || read.Buffer.Length != RepliesLength)
        {
            throw new InvalidOperationException("the session did not answer the batch inline");
        }

        var length = (int)read.Buffer.Length;
        _replies.Reader.AdvanceTo(read.Buffer.End);
        return length;
    }

    private void SetUp(int traceHitsOneIn, bool metrics, bool traces)
    {
        var port = FreePort();
        _redis = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
        })!;
        _connection = ConnectWhenUp($"127.0.0.1:{port}");
        _connection.GetDatabase().StringSet("hit", "value");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TRACE_HITS_ONE_IN"] = traceHitsOneIn.ToString(CultureInfo.InvariantCulture),
        }).Build();
        var settings = new ProxyOptions();
        ProxyOptionsReader.Read(configuration, settings);
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<IConnectionMultiplexer>(_connection)
            .AddSingleton<IConfiguration>(configuration)
            .AddProxyCore(settings)
            .AddRespFrontDoor()
            .BuildServiceProvider();
        if (traces)
        {
            _tracing = Sdk.CreateTracerProviderBuilder()
                .AddSource(ProxyTelemetry.Name)
                .AddProcessor(new BatchActivityExportProcessor(new DroppingExporter<Activity>()))
                .Build();
        }

        if (metrics)
        {
            _metrics = Sdk.CreateMeterProviderBuilder()
                .AddMeter(ProxyTelemetry.Name)
                .AddReader(new PeriodicExportingMetricReader(new DroppingExporter<Metric>(), 10_000))
                .Build();
        }

        var inline = new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);
        _requests = new Pipe(inline);
        _replies = new Pipe(inline);
        _session = new RespSession(_requests.Reader, _replies.Writer, 1, _services.GetRequiredService<RespServerContext>(), CancellationToken.None);
        _running = _session.RunAsync();

        // One GET misses and fills the cache (answered on another thread); every one measured after is a hit.
        _requests.Writer.WriteAsync("GET hit\r\n"u8.ToArray()).AsTask().GetAwaiter().GetResult();
        while (true)
        {
            var primed = _replies.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            if (primed.Buffer.Length >= RepliesLength / Batch)
            {
                _replies.Reader.AdvanceTo(primed.Buffer.End);
                break;
            }

            _replies.Reader.AdvanceTo(primed.Buffer.Start, primed.Buffer.End);
        }
    }

    private static ConnectionMultiplexer ConnectWhenUp(string endpoint)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return ConnectionMultiplexer.Connect(endpoint);
            }
            catch (RedisConnectionException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Takes what the SDK exports and sends it nowhere: the cost measured is the proxy's and the SDK's, not a network's.</summary>
    private sealed class DroppingExporter<T> : BaseExporter<T>
        where T : class
    {
        public override ExportResult Export(in Batch<T> batch) => ExportResult.Success;
    }
}
