using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// The backend's reply to a forwarded command, exactly as it came: the client library's undecoded reply
/// (<see cref="Reply"/>, leased; dispose it once written), a reply already in RESP (<see cref="Encoded"/>), or the
/// text of an error reply (<see cref="Error"/>, without its <c>-</c>).
/// </summary>
internal sealed class ForwardedReply : IDisposable
{
    private ForwardedReply(RespResult? reply, ReadOnlyMemory<byte> encoded, string? error)
    {
        Reply = reply;
        Encoded = encoded;
        Error = error;
    }

    public RespResult? Reply { get; }

    /// <summary>The whole reply as RESP bytes, when it came that way rather than as <see cref="Reply"/>.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    public string? Error { get; }

    public static ForwardedReply Of(RespResult reply) => new(reply, default, null);

    public static ForwardedReply OfEncoded(ReadOnlyMemory<byte> reply) => new(null, reply, null);

    public static ForwardedReply OfError(string message) => new(null, default, message);

    public void Dispose() => Reply?.Dispose();
}
