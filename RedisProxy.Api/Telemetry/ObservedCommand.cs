using System.Diagnostics;

namespace RedisProxy.Api.Telemetry;

/// <summary>
/// One RESP command as telemetry sees it, from its arrival until its reply is written: its server span (null when
/// nobody traces it, or while <paramref name="SpanDeferred"/>: a cached read's, until the cache has answered) and its
/// start, for the duration histogram (0 when nobody listens to either).
/// </summary>
internal readonly record struct ObservedCommand(string Name, long Started, Activity? Span, bool SpanDeferred)
{
    public bool IsObserved => Started != 0;
}
