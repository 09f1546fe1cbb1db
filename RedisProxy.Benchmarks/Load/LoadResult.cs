using HdrHistogram;

namespace RedisProxy.Benchmarks.Load;

/// <summary>What one measured phase gave: latencies from intended starts, the achieved rate, and what went wrong.</summary>
internal sealed record LoadResult(
    string Mode, int Connections, double RequestedRate, double Seconds, LongHistogram Latencies, long Errors, long Unanswered,
    Dictionary<string, double>? CpuMicrosecondsPerRequest)
{
    public double AchievedRate => Latencies.TotalCount / Seconds;

    /// <summary>The fields of the JSON line, latencies in milliseconds.</summary>
    public Dictionary<string, object> Describe() => new()
    {
        ["mode"] = Mode,
        ["connections"] = Connections,
        ["requested_rate"] = Math.Round(RequestedRate, 1),
        ["achieved_rate"] = Math.Round(AchievedRate, 1),
        ["requests"] = Latencies.TotalCount,
        ["errors"] = Errors,
        ["unanswered"] = Unanswered,
        ["p50_ms"] = Milliseconds(Latencies.GetValueAtPercentile(50)),
        ["p90_ms"] = Milliseconds(Latencies.GetValueAtPercentile(90)),
        ["p99_ms"] = Milliseconds(Latencies.GetValueAtPercentile(99)),
        ["p999_ms"] = Milliseconds(Latencies.GetValueAtPercentile(99.9)),
        ["max_ms"] = Milliseconds(Latencies.GetMaxValue()),
        ["cpu_us_per_request"] = CpuMicrosecondsPerRequest ?? [],
    };

    private static double Milliseconds(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}
