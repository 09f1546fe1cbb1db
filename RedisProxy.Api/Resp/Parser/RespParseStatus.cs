namespace RedisProxy.Api.Resp.Parser;

/// <summary>What <see cref="RespParser"/> found at the start of the buffer.</summary>
internal enum RespParseStatus
{
    /// <summary>A whole frame: its arguments are ready (none for an empty frame, which is skipped).</summary>
    Complete,

    /// <summary>The frame is not all here yet; wait for more bytes. The normal case, not an error.</summary>
    Incomplete,

    /// <summary>The bytes can never become a valid frame; the connection must be closed.</summary>
    ProtocolError,
}
