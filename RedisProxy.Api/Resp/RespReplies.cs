namespace RedisProxy.Api.Resp;

/// <summary>Every fixed reply, as UTF-8 bytes ready for the wire, so writing one never formats or allocates.</summary>
internal static class RespReplies
{
    public static ReadOnlySpan<byte> Ok => "+OK\r\n"u8;

    public static ReadOnlySpan<byte> Pong => "+PONG\r\n"u8;

    public static ReadOnlySpan<byte> Reset => "+RESET\r\n"u8;

    public static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    public static ReadOnlySpan<byte> NullBulk => "$-1\r\n"u8;

    public static ReadOnlySpan<byte> Null => "_\r\n"u8;

    public static ReadOnlySpan<byte> NullArray => "*-1\r\n"u8;

    public static ReadOnlySpan<byte> EmptyArray => "*0\r\n"u8;

    public static ReadOnlySpan<byte> NoAuth => "-NOAUTH Authentication required.\r\n"u8;

    public static ReadOnlySpan<byte> WrongPass => "-WRONGPASS invalid username-password pair or user is disabled.\r\n"u8;

    public static ReadOnlySpan<byte> WrongType => "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"u8;

    public static ReadOnlySpan<byte> NotInteger => "-ERR value is not an integer or out of range\r\n"u8;

    public static ReadOnlySpan<byte> SyntaxError => "-ERR syntax error\r\n"u8;

    public static ReadOnlySpan<byte> NoPassword =>
        "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n"u8;

    public static ReadOnlySpan<byte> HelloNoAuth =>
        "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n"u8;

    public static ReadOnlySpan<byte> NoProto => "-NOPROTO unsupported protocol version\r\n"u8;

    public static ReadOnlySpan<byte> ProtocolNotInteger => "-ERR Protocol version is not an integer or out of range\r\n"u8;

    public static ReadOnlySpan<byte> DatabaseOutOfRange => "-ERR DB index is out of range\r\n"u8;

    public static ReadOnlySpan<byte> ExecAbortQueued => "-EXECABORT Transaction discarded because of previous errors.\r\n"u8;

    public static ReadOnlySpan<byte> InRefusedTransaction =>
        "-ERR command refused: it follows a MULTI the proxy refused (EXEC or DISCARD ends it)\r\n"u8;

    public static ReadOnlySpan<byte> ExecAbortRefused => "-EXECABORT Transaction discarded because MULTI was refused by the proxy.\r\n"u8;

    public static ReadOnlySpan<byte> MultiNested => "-ERR MULTI calls can not be nested\r\n"u8;

    public static ReadOnlySpan<byte> ExecWithoutMulti => "-ERR EXEC without MULTI\r\n"u8;

    public static ReadOnlySpan<byte> DiscardWithoutMulti => "-ERR DISCARD without MULTI\r\n"u8;


    public static ReadOnlySpan<byte> BadClientName => "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"u8;

    public static ReadOnlySpan<byte> ProtocolErrorPrefix => "-ERR Protocol error: "u8;

    public static ReadOnlySpan<byte> ConfigSetRefused =>
        "-ERR 'CONFIG SET' is not supported by the proxy (it is configured by its environment at start-up)\r\n"u8;

    public static ReadOnlySpan<byte> ConfigResetStatRefused =>
        "-ERR 'CONFIG RESETSTAT' is not supported by the proxy (it is configured by its environment at start-up)\r\n"u8;

    public static ReadOnlySpan<byte> ConfigRewriteRefused =>
        "-ERR 'CONFIG REWRITE' is not supported by the proxy (it is configured by its environment at start-up)\r\n"u8;
}
