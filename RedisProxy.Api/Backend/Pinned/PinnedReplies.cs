namespace RedisProxy.Api.Backend.Pinned;

/// <summary>What the proxy needs to know of a reply relayed over a pinned connection, read from its first bytes.</summary>
internal static class PinnedReplies
{
    public static bool IsOk(ReadOnlySpan<byte> reply) => reply.SequenceEqual("+OK\r\n"u8);

    public static bool IsQueued(ReadOnlySpan<byte> reply) => reply.SequenceEqual("+QUEUED\r\n"u8);

    public static bool IsError(ReadOnlySpan<byte> reply) => reply.Length > 0 && reply[0] is (byte)'-' or (byte)'!';

    /// <summary>An array that is not null (EXEC's reply when the transaction ran).</summary>
    public static bool IsArray(ReadOnlySpan<byte> reply) => reply.Length > 1 && reply[0] == (byte)'*' && reply[1] != (byte)'-';

    /// <summary>A RESP3 push (a pub/sub message or confirmation), which answers no command.</summary>
    public static bool IsPush(ReadOnlySpan<byte> reply) => reply.Length > 0 && reply[0] == (byte)'>';
}
