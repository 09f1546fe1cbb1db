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
}
