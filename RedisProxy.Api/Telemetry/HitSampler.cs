using System.Diagnostics;

namespace RedisProxy.Api.Telemetry;

/// <summary>
/// Which cache hits get a span: one in every <c>TRACE_HITS_ONE_IN</c>, counted per thread so that two cores answering
/// hits never contend for one counter.
/// </summary>
internal sealed class HitSampler(int oneIn)
{
    [ThreadStatic]
    private static int t_hitsSinceLastSpan;

    /// <summary>
    /// For a hit whose span was made before anyone knew it would be a hit (ASP.NET Core's request span): unless this is
    /// the hit in <c>oneIn</c> that is traced, the span is marked unrecorded, so no exporter sends it.
    /// </summary>
    public void KeepOrDrop(Activity span)
    {
        if (!Take())
        {
            span.IsAllDataRequested = false;
            span.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }

    /// <summary>Whether this hit is the one in <c>oneIn</c> that is traced.</summary>
    public bool Take()
    {
        if (oneIn <= 1)
        {
            return oneIn == 1;
        }

        if (++t_hitsSinceLastSpan < oneIn)
        {
            return false;
        }

        t_hitsSinceLastSpan = 0;
        return true;
    }
}
