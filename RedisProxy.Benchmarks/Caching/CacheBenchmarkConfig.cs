using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>
/// A short job, in process, so the whole cache suite (24 cases) runs in a few minutes on two cores: a few
/// warm-up and measured iterations of a quarter second each, reported with the ratio of mean times to the baseline (below 1 is faster).
/// </summary>
public sealed class CacheBenchmarkConfig : ManualConfig
{
    public CacheBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(6)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("Short"));
        AddColumn(StatisticColumn.OperationsPerSecond);
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
