using System.Buffers;

namespace RedisProxy.Benchmarks.Load;

/// <summary>How a front door's requests are written and its replies framed.</summary>
internal interface ILoadProtocol
{
    void Write(IBufferWriter<byte> output, Operation operation);

    /// <summary>The length of the whole reply at the start of <paramref name="buffer"/>, or 0 when more bytes are needed.</summary>
    /// <param name="ok">False for an error reply (a RESP error or nil, an HTTP status other than 200).</param>
    int TryFrame(ReadOnlySpan<byte> buffer, out bool ok);
}
