using System.Diagnostics;

namespace RedisProxy.Api.Telemetry;

/// <summary>
/// The server spans and durations of RESP commands, as OpenTelemetry's database conventions name them
/// (<c>db.system.name</c>, <c>db.operation.name</c>), so a miss's trace shows the proxy's command above the backend
/// call it made. A read's span is decided once the cache has answered: a miss always gets one, opened before the
/// backend is asked; a hit only when <see cref="HitSampler"/> picks it. With nobody listening, nothing is read or made.
/// </summary>
internal sealed class CommandTelemetry(ProxyMetrics metrics, HitSampler hits)
{
    /// <summary>Starts observing a command that is not a cached read: its span, when traced, opens now.</summary>
    public ObservedCommand Start(string name)
    {
        if (!IsListenedTo)
        {
            return default;
        }

        // Current from here to the end of the caller's async method, so a backend call the command starts is its child.
        var span = StartSpan(name, startTime: default, cacheResult: null);
        return new ObservedCommand(name, Stopwatch.GetTimestamp(), span, SpanDeferred: false);
    }

    /// <summary>Starts observing a cached read, whose span waits until the cache has answered.</summary>
    public ObservedCommand StartRead(string name) =>
        IsListenedTo ? new ObservedCommand(name, Stopwatch.GetTimestamp(), null, SpanDeferred: true) : default;

    /// <summary>
    /// The read missed: its span opens, dated from the command's start, and is current (to the end of the caller's
    /// async method), so the backend call started next becomes its child.
    /// </summary>
    public static ObservedCommand Miss(ObservedCommand read)
    {
        if (!read.IsObserved || !ProxyTelemetry.Source.HasListeners())
        {
            return read;
        }

        var span = StartSpan(read.Name, StartTime(read), "miss");
        return span is null ? read : read with { Span = span, SpanDeferred = false };
    }

    /// <summary>Names a forwarded command that arrived before the backend's command table was loaded (its load was this command's doing).</summary>
    public static ObservedCommand Rename(ObservedCommand command, string name)
    {
        if (command.Span is { } span)
        {
            span.DisplayName = name;
            span.SetTag("db.operation.name", name);
        }

        return command with { Name = name };
    }

    /// <summary>The command's reply is written: its span ends and its duration is recorded, with its result.</summary>
    public void End(ObservedCommand command, CommandResult result, Exception? failure = null)
    {
        if (!command.IsObserved)
        {
            return;
        }

        var span = command.Span;
        if (command.SpanDeferred && ProxyTelemetry.Source.HasListeners() && (result != CommandResult.Hit || hits.Take()))
        {
            // A hit picked by the sampler, or a read that ended before the cache was asked (refused, say).
            span = StartSpan(command.Name, StartTime(command), result == CommandResult.Hit ? "hit" : null);
        }

        if (span is not null)
        {
            if (result == CommandResult.Error)
            {
                span.SetStatus(ActivityStatusCode.Error);
                span.SetTag("error.type", failure?.GetType().FullName ?? "redis_error");
            }

            // Stop makes the span's parent current; a command that ends while a later one runs must not undo the later one's.
            var current = Activity.Current;
            span.Stop();
            if (current != span)
            {
                Activity.Current = current;
            }
        }

        metrics.Command(command.Name, result, command.Started);
    }

    /// <summary>Whether anyone collects the commands' spans or durations; when not, the session skips all of it.</summary>
    public bool IsListenedTo => ProxyTelemetry.Source.HasListeners() || metrics.CommandDurationEnabled;

    private static DateTimeOffset StartTime(ObservedCommand command) =>
        DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(command.Started);

    /// <summary>
    /// A command's server span with the database attributes, dated from <paramref name="startTime"/> (now when
    /// default); <paramref name="cacheResult"/> (<c>hit</c>, <c>miss</c>) for a cached read. Null when nobody samples it.
    /// </summary>
    private static Activity? StartSpan(string name, DateTimeOffset startTime, string? cacheResult)
    {
        var span = ProxyTelemetry.Source.StartActivity(name, ActivityKind.Server, parentContext: default, startTime: startTime);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("db.system.name", "redis");
            span.SetTag("db.operation.name", name);
            span.SetTag("network.transport", "tcp");
            if (cacheResult is not null)
            {
                span.SetTag("redisproxy.cache.result", cacheResult);
            }
        }

        return span;
    }
}
