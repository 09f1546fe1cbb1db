using System.Globalization;

namespace RedisProxy.Benchmarks.Load;

/// <summary>
/// CPU time (user + system) of the processes taking part, from /proc/PID/stat, so each phase can say what a request
/// cost each of them: on a 2-core machine that is far steadier than throughput when other work shares the cores.
/// </summary>
internal sealed class CpuMeter(IReadOnlyDictionary<string, int> processes, int clockTicksPerSecond)
{
    public Dictionary<string, double> Sample() =>
        processes.ToDictionary(process => process.Key, process => Seconds(process.Value));

    /// <summary>Microseconds of CPU per request for each process between two samples.</summary>
    public static Dictionary<string, double> PerRequest(Dictionary<string, double> before, Dictionary<string, double> after, long requests) =>
        after.ToDictionary(process => process.Key,
            process => Math.Round((process.Value - before[process.Key]) * 1e6 / Math.Max(requests, 1), 1));

    private double Seconds(int pid)
    {
        try
        {
            // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the
            // 14th and 15th fields of the line, the 12th and 13th after the name.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture))
                / (double)clockTicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>Parses <c>name=pid,name=pid</c>; "self" stands for this process.</summary>
    public static CpuMeter Parse(string? text, int clockTicksPerSecond)
    {
        var processes = new Dictionary<string, int>(StringComparer.Ordinal) { ["generator"] = Environment.ProcessId };
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=');
            processes[parts[0]] = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        return new CpuMeter(processes, clockTicksPerSecond);
    }
}
