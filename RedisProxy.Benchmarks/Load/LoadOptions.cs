using System.Globalization;
using System.Net;

namespace RedisProxy.Benchmarks.Load;

/// <summary>The <c>load</c> mode's settings, given as <c>--name value</c> pairs; see <see cref="Usage"/>.</summary>
internal sealed record LoadOptions(
    string Door, IPEndPoint Proxy, IPEndPoint Direct, Uri? Status, string Prefix, int Keys, int ValueBytes, int WritePercent,
    double ZipfExponent, int Prefill, int Connections, int OpenConnections, TimeSpan WarmUp, TimeSpan Measured, double RateFraction,
    string? CpuProcesses, int ClockTicks)
{
    public const string Usage =
        "usage: load --door resp|http --proxy IP:PORT --direct IP:PORT [--status URL] --prefix P --keys N --value-bytes B "
        + "--write-percent W [--zipf 0.99] [--prefill N] [--connections 64] [--open-connections 64] [--warmup-seconds 1] "
        + "[--seconds 3] [--rate-fraction 0.5] [--cpu NAME=PID,...] [--clock-ticks 100]";

    public static LoadOptions? Parse(string[] args)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            named[args[i][2..]] = args[i + 1];
        }

        string? Text(string name) => named.GetValueOrDefault(name);
        double Number(string name, double fallback) =>
            Text(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

        if (Text("door") is not ("resp" or "http") || Text("proxy") is not { } proxy || Text("direct") is not { } direct
            || Text("prefix") is not { } prefix || Text("keys") is null || Text("value-bytes") is null || Text("write-percent") is null)
        {
            return null;
        }

        return new LoadOptions(
            Text("door")!, IPEndPoint.Parse(proxy), IPEndPoint.Parse(direct), Text("status") is { } status ? new Uri(status) : null,
            prefix, (int)Number("keys", 0), (int)Number("value-bytes", 0), (int)Number("write-percent", 0), Number("zipf", 0.99),
            (int)Number("prefill", 0), (int)Number("connections", 64), (int)Number("open-connections", 64),
            TimeSpan.FromSeconds(Number("warmup-seconds", 1)), TimeSpan.FromSeconds(Number("seconds", 3)), Number("rate-fraction", 0.5),
            Text("cpu"), (int)Number("clock-ticks", 100));
    }
}
