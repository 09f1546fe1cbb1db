namespace RedisProxy.Api.Resp;

/// <summary>The commands the proxy answers itself; every other one is <see cref="Forwarded"/> to the backend.</summary>
internal enum RespCommand
{
    /// <summary>Sent to the backend as it came, its reply returned as it came (see RespSession.Forwarding.cs).</summary>
    Forwarded,
    Get,
    MGet,
    Exists,

    /// <summary>SET key value [EX|PX n], written through and cached; any other form of SET is forwarded.</summary>
    Set,
    Ping,
    Echo,
    Hello,
    Auth,
    Select,
    Quit,
    Reset,
    Client,
    Info,

    /// <summary>CONFIG GET answers for the proxy itself; other subcommands are forwarded or refused.</summary>
    Config,
    Multi,
    Exec,
    Discard,
    Watch,
    Unwatch,
}
