using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// A string value read from Redis and the time to live its key had then (PTTL in the same round trip):
/// <see cref="Timeout.InfiniteTimeSpan"/> for a key without one, <see cref="TimeSpan.Zero"/> when the key was gone
/// by the time its time to live was asked, so the value must not be cached.
/// </summary>
internal readonly record struct TimedValue(RedisValue Value, TimeSpan TimeToLive)
{
    /// <summary>The time to live PTTL's reply stands for.</summary>
    public static TimeSpan FromPttl(long milliseconds) => milliseconds switch
    {
        -1 => Timeout.InfiniteTimeSpan,
        < 0 => TimeSpan.Zero,
        _ => TimeSpan.FromMilliseconds(milliseconds),
    };
}
