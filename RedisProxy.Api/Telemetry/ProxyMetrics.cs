using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RedisProxy.Api.Telemetry;

/// <summary>
/// The proxy's instruments (System.Diagnostics.Metrics; exported by ServiceDefaults' OpenTelemetry, so the Aspire
/// dashboard shows them), recorded where things happen. The gauges that observe the core are <c>Core/CoreGauges</c>.
/// </summary>
internal sealed class ProxyMetrics
{
    private static readonly string[] DoorNames = ["http", "resp"];
    private static readonly string[] ResultNames = ["hit", "miss_found", "miss_absent", "error"];
    private static readonly string[] CommandResultNames = ["ok", "hit", "miss", "error"];

    /// <summary>From 100 µs (a round trip to Redis on loopback takes a few hundred) to 10 s (past any backend timeout).</summary>
    internal static readonly double[] BackendBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>The backend's, and below them the microseconds and nanoseconds in which hits are answered.</summary>
    internal static readonly double[] ReadBuckets = [0.0000001, 0.00000025, 0.0000005, 0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, .. BackendBuckets];

    private readonly ReadCounts _reads = new();
    private readonly Counter<long> _writes;
    private readonly Histogram<double> _backendDuration;
    private readonly Histogram<double> _readDuration;
    private readonly Histogram<double> _commandDuration;

    public ProxyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ProxyTelemetry.Name);
        meter.CreateObservableCounter("redisproxy.reads", ObserveReads, "{read}", "Key reads by front door and result.");
        _writes = meter.CreateCounter<long>("redisproxy.writes", "{write}", "Write-through SETs and DELs by front door.");
        _backendDuration = meter.CreateHistogram(
            "redisproxy.backend.duration", "s", "Time of each backend call, by operation and outcome.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = BackendBuckets });
        _readDuration = meter.CreateHistogram(
            "redisproxy.read.duration", "s", "Time to answer a key read, from the cache or through Redis, by front door and result.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = ReadBuckets });
        _commandDuration = meter.CreateHistogram(
            "redisproxy.command.duration", "s", "Time from a RESP command's arrival until its reply is written, by command and result.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = ReadBuckets });
    }

    public bool CommandDurationEnabled => _commandDuration.Enabled;

    /// <summary>The moment a read starts, for <see cref="Read"/>; 0 (and no clock read) when nobody listens to its duration.</summary>
    public long ReadStarted() => _readDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>
    /// Counts <paramref name="reads"/> key reads (a batch that fails, fails each of its keys) with one result, and the
    /// time since <paramref name="started"/> (from <see cref="ReadStarted"/>; 0 records none).
    /// </summary>
    public void Read(FrontDoor door, ReadResult result, long started, int reads = 1)
    {
        _reads.Add(door, result, reads);
        if (started != 0 && _readDuration.Enabled)
        {
            _readDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("door", DoorNames[(int)door]),
                new KeyValuePair<string, object?>("result", ResultNames[(int)result]));
        }
    }

    /// <summary>Records a RESP command's time since <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Command(string name, CommandResult result, long started)
    {
        if (_commandDuration.Enabled)
        {
            _commandDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("db.operation.name", name),
                new KeyValuePair<string, object?>("result", CommandResultNames[(int)result]));
        }
    }

    private IEnumerable<Measurement<long>> ObserveReads()
    {
        foreach (var door in Enum.GetValues<FrontDoor>())
        {
            foreach (var result in Enum.GetValues<ReadResult>())
            {
                yield return new Measurement<long>(
                    _reads.Total(door, result),
                    new KeyValuePair<string, object?>("door", DoorNames[(int)door]),
                    new KeyValuePair<string, object?>("result", ResultNames[(int)result]));
            }
        }
    }

    public void Write(FrontDoor door, string operation) =>
        _writes.Add(1, new KeyValuePair<string, object?>("door", DoorNames[(int)door]), new KeyValuePair<string, object?>("operation", operation));

    public void BackendCall(string operation, string outcome, TimeSpan duration) =>
        _backendDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));
}
