namespace RedisProxy.Api.Telemetry;

/// <summary>Which protocol a request came in by.</summary>
public enum FrontDoor
{
    Http,
    Resp,
}
