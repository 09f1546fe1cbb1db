using System.Diagnostics;
using System.Net;
using HdrHistogram;

namespace RedisProxy.Benchmarks.Load;

/// <summary>
/// One phase against one server over fresh connections: a warm-up whose replies are not recorded, the measured window,
/// then a drain of at most <see cref="DrainTimeout"/>; what is still unanswered after it is reported, not waited for.
/// </summary>
internal static class LoadRun
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Closed loop: each connection sends its next request when the previous one is answered.</summary>
    public static async Task<LoadResult> ClosedAsync(
        IPEndPoint server, ILoadProtocol protocol, IOperationSource source, int connections, TimeSpan warmUp, TimeSpan measured, CpuMeter? meter)
    {
        var all = await ConnectAsync(server, protocol, connections);
        var start = Stopwatch.GetTimestamp();
        var (from, to) = Window(start, warmUp, measured);
        var cpu = meter is null ? null : SampleAsync(meter, from, to);
        foreach (var connection in all)
        {
            connection.Measure(from, to);
            connection.Replied = (replied, now) =>
            {
                if (now < to && source.TryNext(replied.Index, out var operation))
                {
                    replied.Enqueue(operation, now);
                    replied.Flush();
                }
            };
            if (source.TryNext(connection.Index, out var first))
            {
                connection.Enqueue(first, start);
                connection.Flush();
            }
        }

        // A finite source (the prefill) ends the phase early, once everything it gave is answered.
        while (Stopwatch.GetTimestamp() < to && all.Any(connection => connection.Outstanding > 0))
        {
            await Task.Delay(10);
        }

        return await FinishAsync(all, "closed", connections, 0, measured, cpu);
    }

    /// <summary>
    /// Open loop: requests are due at a fixed rate, round robin over the connections, and are sent when due whether or
    /// not earlier ones were answered. The schedule runs on a thread of its own that sleeps precisely between requests.
    /// </summary>
    public static async Task<LoadResult> OpenAsync(
        IPEndPoint server, ILoadProtocol protocol, IOperationSource source, int connections, double rate, TimeSpan warmUp, TimeSpan measured,
        CpuMeter? meter)
    {
        var all = await ConnectAsync(server, protocol, connections);
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        var (from, to) = Window(start, warmUp, measured);
        var cpu = meter is null ? null : SampleAsync(meter, from, to);
        foreach (var connection in all)
        {
            connection.Measure(from, to);
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var schedule = new Thread(() =>
        {
            try
            {
                Schedule(all, source, rate, start, to);
                done.SetResult();
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        })
        { IsBackground = true, Name = "open-loop schedule" };
        schedule.Start();
        await done.Task;
        return await FinishAsync(all, "open", connections, rate, measured, cpu);
    }

    private static void Schedule(List<LoadConnection> all, IOperationSource source, double rate, long start, long end)
    {
        PreciseSleep.PrepareThread();
        var ticksPerRequest = Stopwatch.Frequency / rate;
        var total = (long)((end - start) / ticksPerRequest);
        var issued = 0L;
        var touched = new List<LoadConnection>();
        PreciseSleep.Until(start);
        while (issued < total)
        {
            var due = Math.Min(total, (long)((Stopwatch.GetTimestamp() - start) / ticksPerRequest) + 1);
            // Usually one request is due per wake-up; only the connections given one are flushed.
            for (; issued < due && source.TryNext(0, out var operation); issued++)
            {
                var connection = LeastBusy(all, (int)(issued % all.Count));
                connection.Enqueue(operation, start + (long)(issued * ticksPerRequest));
                if (!touched.Contains(connection))
                {
                    touched.Add(connection);
                }
            }

            touched.ForEach(connection => connection.Flush());
            touched.Clear();

            PreciseSleep.Until(start + (long)(issued * ticksPerRequest));
        }
    }

    /// <summary>
    /// The connection with the fewest unanswered requests, searched from the round-robin one: an HTTP/1.1 server answers
    /// a connection's pipelined requests one after another, so a request queued behind a slow one (a miss, a write)
    /// would wait for it, which no client with free connections does.
    /// </summary>
    private static LoadConnection LeastBusy(List<LoadConnection> all, int first)
    {
        var best = all[first];
        for (var i = 1; i < all.Count && best.Outstanding > 0; i++)
        {
            var candidate = all[(first + i) % all.Count];
            if (candidate.Outstanding < best.Outstanding)
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>The processes' CPU time at the start and the end of the measured window.</summary>
    private static async Task<(Dictionary<string, double> Before, Dictionary<string, double> After)> SampleAsync(CpuMeter meter, long from, long to)
    {
        await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), from) is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        var before = meter.Sample();
        await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), to) is { } rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
        return (before, meter.Sample());
    }

    private static (long From, long To) Window(long start, TimeSpan warmUp, TimeSpan measured)
    {
        var from = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        return (from, from + (long)(measured.TotalSeconds * Stopwatch.Frequency));
    }

    private static async Task<List<LoadConnection>> ConnectAsync(IPEndPoint server, ILoadProtocol protocol, int connections)
    {
        var all = new List<LoadConnection>();
        for (var i = 0; i < connections; i++)
        {
            all.Add(await LoadConnection.ConnectAsync(server, protocol, i, CancellationToken.None));
        }

        return all;
    }

    private static async Task<LoadResult> FinishAsync(
        List<LoadConnection> all, string mode, int connections, double rate, TimeSpan measured,
        Task<(Dictionary<string, double> Before, Dictionary<string, double> After)>? cpu)
    {
        var cpuSamples = cpu is null ? default : await cpu;
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < DrainTimeout && all.Any(connection => connection.Outstanding > 0 && connection.Failure is null))
        {
            await Task.Delay(10);
        }

        // Failures are read before closing (closing ends each receive loop with one), and the histograms after, so no
        // receive loop still records while they are read.
        var failures = all.Where(connection => connection.Failure is not null).Select(connection => $"connection {connection.Index}: {connection.Failure!.Message}").ToList();
        foreach (var connection in all)
        {
            connection.Replied = null;
            connection.Dispose();
        }

        await Task.Delay(20);
        failures.ForEach(failure => Console.Error.WriteLine($"load: {failure}"));
        var latencies = new LongHistogram(60_000_000, 3);
        long errors = 0, unanswered = 0;
        foreach (var connection in all)
        {
            latencies.Add(connection.Latencies);
            errors += connection.Errors;
            unanswered += connection.Outstanding;
        }

        var cpuPerRequest = cpu is null ? null : CpuMeter.PerRequest(cpuSamples.Before, cpuSamples.After, latencies.TotalCount);
        return new LoadResult(mode, connections, rate, measured.TotalSeconds, latencies, errors, unanswered, cpuPerRequest);
    }
}
