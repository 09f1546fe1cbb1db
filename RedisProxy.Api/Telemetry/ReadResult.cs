namespace RedisProxy.Api.Telemetry;

/// <summary>How a read ended, as the requests metric counts it.</summary>
public enum ReadResult
{
    /// <summary>Answered from the local cache.</summary>
    Hit,

    /// <summary>Missed the cache; Redis had the key.</summary>
    MissFound,

    /// <summary>Missed the cache; Redis lacks the key.</summary>
    MissAbsent,

    /// <summary>The backend failed, timed out, or the proxy was too busy.</summary>
    Error,
}
