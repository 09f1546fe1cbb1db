namespace RedisProxy.Api.Resp;

/// <summary>The commands the proxy answers; everything else is <see cref="Unknown"/>.</summary>
internal enum RespCommand
{
    Unknown,
    Get,
    MGet,
    Exists,
    Set,
    Del,

    /// <summary>DEL under the name StackExchange.Redis and others use for it; the proxy deletes the same way.</summary>
    Unlink,
    Ping,
    Echo,
    Hello,
    Auth,
    Select,
    Quit,
    Reset,
    Client,
    Command,
    Info,

    /// <summary>CONFIG GET answers for the proxy itself; SET, RESETSTAT and REWRITE are refused.</summary>
    Config,
}
