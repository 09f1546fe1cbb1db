using System.Net;
using System.Text.Json;

namespace RedisProxy.Benchmarks.Load;

/// <summary>
/// The <c>load</c> mode of bench/remote.sh: one workload through one front door, against the proxy and against the
/// direct path (redis-server itself for RESP, the Kestrel + StackExchange.Redis baseline for HTTP) in the same run.
/// First the proxy's cache is filled, coldest key first; then each target is driven at saturation (closed loop), then
/// both at a fixed share of the direct path's saturation rate (open loop). Every phase prints one LOAD_JSON line.
/// </summary>
internal static class LoadCommand
{
    private static readonly TimeSpan PrefillBudget = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(string[] args)
    {
        if (LoadOptions.Parse(args) is not { } options)
        {
            await Console.Error.WriteLineAsync(LoadOptions.Usage);
            return 2;
        }

        ILoadProtocol protocol = options.Door == "resp"
            ? new RespProtocol(options.Prefix, options.Keys, options.ValueBytes)
            : new HttpProtocol(options.Prefix, options.Keys, options.ValueBytes);
        var keys = new ZipfKeys(options.Keys, options.ZipfExponent);
        using var status = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var meter = CpuMeter.Parse(options.CpuProcesses, options.ClockTicks);

        if (options.Prefill > 0)
        {
            await LoadRun.ClosedAsync(options.Proxy, protocol, new PrefillOperations(Math.Min(options.Prefill, options.Keys)), options.Connections,
                TimeSpan.Zero, PrefillBudget, meter: null);
        }

        var failed = false;
        async Task<LoadResult> Phase(string target, IPEndPoint server, Func<IOperationSource, Task<LoadResult>> run)
        {
            var before = target == "proxy" ? await CacheCounters.ReadAsync(status, options.Status) : null;
            var result = await run(new ZipfOperations(keys, options.WritePercent, Math.Max(options.Connections, options.OpenConnections), Random.Shared.Next()));
            var after = target == "proxy" ? await CacheCounters.ReadAsync(status, options.Status) : null;
            var line = result.Describe();
            line["door"] = options.Door;
            line["target"] = target;
            line["value_bytes"] = options.ValueBytes;
            line["write_percent"] = options.WritePercent;
            line["keys"] = options.Keys;
            line["zipf"] = options.ZipfExponent;
            if (CacheCounters.HitRatio(before, after) is { } hitRatio)
            {
                line["hit_ratio"] = hitRatio;
            }

            failed |= result.Errors > 0 || result.Unanswered > 0;
            Console.WriteLine("LOAD_JSON " + JsonSerializer.Serialize(line));
            return result;
        }

        Task<LoadResult> Saturate(string target, IPEndPoint server) => Phase(target, server,
            source => LoadRun.ClosedAsync(server, protocol, source, options.Connections, options.WarmUp, options.Measured, meter));

        var direct = await Saturate("direct", options.Direct);
        await Saturate("proxy", options.Proxy);

        var rate = Math.Max(1, direct.AchievedRate * options.RateFraction);
        foreach (var (target, server) in new[] { ("direct", options.Direct), ("proxy", options.Proxy) })
        {
            await Phase(target, server, source => LoadRun.OpenAsync(server, protocol, source, options.OpenConnections, rate, options.WarmUp, options.Measured, meter));
        }

        return failed ? 1 : 0;
    }
}
