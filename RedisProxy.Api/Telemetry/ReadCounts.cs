using System.Numerics;

namespace RedisProxy.Api.Telemetry;

/// <summary>
/// Key reads by front door and result, counted where they happen and summed only when the meter asks: a hit takes
/// tens of nanoseconds, and a Counter's Add costs more than the hit while metrics are collected. Counted in stripes
/// chosen by thread, each on cache lines of its own, so two cores counting hits never write the same line.
/// </summary>
internal sealed class ReadCounts
{
    private const int Kinds = 8;

    // 16 longs are 128 bytes: each stripe's 8 counts on lines no other stripe writes, whatever the array's alignment.
    private const int StripeLength = 16;

    private readonly long[] _counts;
    private readonly int _stripeMask;

    public ReadCounts()
    {
        var stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2);
        _stripeMask = stripes - 1;
        _counts = new long[(stripes + 1) * StripeLength];
    }

    public void Add(FrontDoor door, ReadResult result, int reads) =>
        Interlocked.Add(ref _counts[Index(Environment.CurrentManagedThreadId & _stripeMask, door, result)], reads);

    public long Total(FrontDoor door, ReadResult result)
    {
        long total = 0;
        for (var stripe = 0; stripe <= _stripeMask; stripe++)
        {
            total += Volatile.Read(ref _counts[Index(stripe, door, result)]);
        }

        return total;
    }

    // The first StripeLength/2 longs are left empty, so stripe 0 shares no line with the array's header.
    private static int Index(int stripe, FrontDoor door, ReadResult result) =>
        (StripeLength / 2) + (stripe * StripeLength) + ((int)door * (Kinds / 2)) + (int)result;
}
