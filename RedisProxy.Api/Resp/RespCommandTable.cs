using System.Text;

namespace RedisProxy.Api.Resp;

/// <summary>Names and arities of the commands the proxy answers itself (<see cref="RespCommand"/>), found from the name's bytes without allocating.</summary>
internal static class RespCommandTable
{
    private static readonly string[] OperationNames = [.. Enum.GetNames<RespCommand>().Select(name => name.ToUpperInvariant())];

    public static RespCommand Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when Ascii.EqualsIgnoreCase(name, "GET"u8) => RespCommand.Get,
        3 when Ascii.EqualsIgnoreCase(name, "SET"u8) => RespCommand.Set,
        4 when Ascii.EqualsIgnoreCase(name, "MGET"u8) => RespCommand.MGet,
        4 when Ascii.EqualsIgnoreCase(name, "PING"u8) => RespCommand.Ping,
        4 when Ascii.EqualsIgnoreCase(name, "ECHO"u8) => RespCommand.Echo,
        4 when Ascii.EqualsIgnoreCase(name, "AUTH"u8) => RespCommand.Auth,
        4 when Ascii.EqualsIgnoreCase(name, "QUIT"u8) => RespCommand.Quit,
        4 when Ascii.EqualsIgnoreCase(name, "INFO"u8) => RespCommand.Info,
        4 when Ascii.EqualsIgnoreCase(name, "EXEC"u8) => RespCommand.Exec,
        5 when Ascii.EqualsIgnoreCase(name, "HELLO"u8) => RespCommand.Hello,
        5 when Ascii.EqualsIgnoreCase(name, "RESET"u8) => RespCommand.Reset,
        5 when Ascii.EqualsIgnoreCase(name, "MULTI"u8) => RespCommand.Multi,
        5 when Ascii.EqualsIgnoreCase(name, "WATCH"u8) => RespCommand.Watch,
        6 when Ascii.EqualsIgnoreCase(name, "EXISTS"u8) => RespCommand.Exists,
        6 when Ascii.EqualsIgnoreCase(name, "SELECT"u8) => RespCommand.Select,
        6 when Ascii.EqualsIgnoreCase(name, "CLIENT"u8) => RespCommand.Client,
        6 when Ascii.EqualsIgnoreCase(name, "CONFIG"u8) => RespCommand.Config,
        7 when Ascii.EqualsIgnoreCase(name, "DISCARD"u8) => RespCommand.Discard,
        7 when Ascii.EqualsIgnoreCase(name, "UNWATCH"u8) => RespCommand.Unwatch,
        _ => RespCommand.Forwarded,
    };

    /// <summary>The fewest and most arguments, the command's name included (Redis's arity, as a range).</summary>
    public static (int Min, int Max) Arity(RespCommand command) => command switch
    {
        RespCommand.Get or RespCommand.Echo or RespCommand.Select => (2, 2),
        RespCommand.MGet or RespCommand.Exists or RespCommand.Watch => (2, int.MaxValue),
        RespCommand.Set => (3, int.MaxValue),
        RespCommand.Ping => (1, 2),
        RespCommand.Auth => (2, 3),
        RespCommand.Reset or RespCommand.Multi or RespCommand.Exec or RespCommand.Discard or RespCommand.Unwatch => (1, 1),
        RespCommand.Client or RespCommand.Config => (2, int.MaxValue),
        _ => (1, int.MaxValue),
    };

    /// <summary>Whether a client that has not authenticated may run it (as Redis: AUTH, HELLO, QUIT, RESET).</summary>
    public static bool AllowedBeforeAuth(RespCommand command) =>
        command is RespCommand.Auth or RespCommand.Hello or RespCommand.Quit or RespCommand.Reset;

    /// <summary>Lower-case names for error messages.</summary>
    public static string NameOf(RespCommand command) => command.ToString().ToLowerInvariant();

    /// <summary>Upper-case names, as telemetry gives them (<c>db.operation.name</c>); allocates nothing.</summary>
    public static string OperationNameOf(RespCommand command) => OperationNames[(int)command];
}
