using System.Globalization;
using System.Net;
using BenchmarkDotNet.Running;
using RedisProxy.Benchmarks.Baselines;
using RedisProxy.Benchmarks.Caching;
using RedisProxy.Benchmarks.Load;
using RedisProxy.Benchmarks.Network;
using RedisProxy.Benchmarks.Staleness;
using RedisProxy.Benchmarks.Warmup;

// Modes: the BenchmarkDotNet suite (default; BenchmarkDotNet's own arguments such as --filter pass through),
// the memory-per-entry measurement, a quick hit-scaling check, the two HTTP baselines the load scripts (bench/run.sh,
// bench/remote.sh) start, the staleness probe of bench/staleness.sh, the open- and closed-loop load and the delaying
// TCP relay of bench/remote.sh, and the warm-start probe of bench/warmup.sh.
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
    case "baseline-http-redis" when args.Length is 3 or 4:
        await RedisGetEndpoint.RunAsync(Port(args[1]), args.Length == 4 ? args[3] : "127.0.0.1", Port(args[2]));
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
    case "load":
        return await LoadCommand.RunAsync(args);
    case "delay-relay" when args.Length == 4:
        await DelayRelay.RunAsync(IPEndPoint.Parse(args[1]), IPEndPoint.Parse(args[2]), TimeSpan.FromMilliseconds(double.Parse(args[3], CultureInfo.InvariantCulture)));
        return 0;
    case "delay-relay":
        Console.Error.WriteLine("usage: delay-relay LISTEN_IP:PORT UPSTREAM_IP:PORT DELAY_MS");
        return 2;
    case "baseline-http-constant" or "baseline-http-redis":
        Console.Error.WriteLine("usage: baseline-http-constant PORT BODY_FILE | baseline-http-redis PORT REDIS_PORT [REDIS_HOST]");
        return 2;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(CacheBenchmark).Assembly).Run(args);
        return 0;
}

static int Port(string text) => int.Parse(text, CultureInfo.InvariantCulture);
