using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RedisProxy.Benchmarks.Load;

/// <summary>
/// Sleeps to within some microseconds of a Stopwatch timestamp. Timers and Thread.Sleep wake a millisecond late,
/// which would add up to a millisecond to every request of an open-loop schedule (it sends late what it measures
/// from the intended time); spinning would take a core from the server on a small machine. On Linux this is
/// clock_nanosleep with the thread's timer slack cut from 50 µs to 1 µs.
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int SetTimerSlack = 29;

    /// <summary>Call once on the thread that will sleep.</summary>
    public static void PrepareThread()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Prctl(SetTimerSlack, 1, 0, 0, 0);
        }
    }

    public static void Until(long timestamp)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            Thread.Sleep(remaining);
            return;
        }

        var nanoseconds = remaining.Ticks * 100;
        var request = new Timespec(nanoseconds / 1_000_000_000, nanoseconds % 1_000_000_000);
        _ = ClockNanosleep(ClockMonotonic, 0, in request, IntPtr.Zero);
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remaining);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);
}
