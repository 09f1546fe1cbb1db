using System.Globalization;
using BenchmarkDotNet.Running;
using RedisProxy.Benchmarks.Baselines;
using RedisProxy.Benchmarks.Caching;
using RedisProxy.Benchmarks.Staleness;
using RedisProxy.Benchmarks.Warmup;

// Modes: the BenchmarkDotNet suite (default; BenchmarkDotNet's own arguments such as --filter pass through),
// the memory-per-entry measurement, a quick hit-scaling check, the two HTTP baselines the load script (bench/run.sh) starts,
// the staleness probe of bench/staleness.sh and the warm-start probe of bench/warmup.sh.
switch (args.FirstOrDefault())
{
    case "memory":
        MemoryPerEntry.Run();
        return 0;
    case "hit-scaling":
        HitScaling.Run();
        return 0;
    case "baseline-http-constant" when args.Length == 3:
        await ConstantJsonEndpoint.RunAsync(Port(args[1]), args[2]);
        return 0;
    case "baseline-http-redis" when args.Length == 3:
        await RedisGetEndpoint.RunAsync(Port(args[1]), Port(args[2]));
        return 0;
    case "warmup" when args.Length == 9:
        return WarmupProbe.Run(args);
    case "warmup":
        Console.Error.WriteLine("usage: warmup API_DLL HTTP_PORT RESP_PORT REDIS_PORT http-get|resp-get|resp-incr SECONDS CONNECTIONS LOG_FILE");
        return 2;
    case "staleness" when args.Length == 8:
        return await StalenessProbe.RunAsync(args);
    case "staleness":
        Console.Error.WriteLine("usage: staleness LABEL REDIS_CONNECTION HTTP_URL[,HTTP_URL...] RESP_PORT[,RESP_PORT...] WARMUP_WRITES WRITES SECONDS");
        return 2;
    case "baseline-http-constant" or "baseline-http-redis":
        Console.Error.WriteLine("usage: baseline-http-constant PORT BODY_FILE | baseline-http-redis PORT REDIS_PORT");
        return 2;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(CacheBenchmark).Assembly).Run(args);
        return 0;
}

static int Port(string text) => int.Parse(text, CultureInfo.InvariantCulture);
