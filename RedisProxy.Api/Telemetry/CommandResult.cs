namespace RedisProxy.Api.Telemetry;

/// <summary>How a RESP command ended, as its duration histogram and span say.</summary>
internal enum CommandResult
{
    /// <summary>Answered; for a cached read, by Redis after a miss.</summary>
    Ok,

    /// <summary>A cached read answered from the local cache.</summary>
    Hit,

    /// <summary>A cached read that missed and was read through.</summary>
    Miss,

    /// <summary>Answered with an error: the proxy's (refused, backend down) or Redis's.</summary>
    Error,
}
