using System.Buffers;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Holds the bytes of a request too large to wait for in the socket's pipe. The pipe stops reading from the socket
/// once it holds about 1 MB that nobody consumed, so a frame bigger than that would never complete there: its bytes
/// are moved here (consumed from the pipe) until the frame is whole. Empty for ordinary traffic.
/// </summary>
internal sealed class RespFrameAssembler : IDisposable
{
    private byte[] _buffer = [];
    private int _length;

    public bool IsEmpty => _length == 0;

    public int Length => _length;

    public ReadOnlyMemory<byte> Data => _buffer.AsMemory(0, _length);

    public void Append(ReadOnlySequence<byte> bytes)
    {
        // The parser refuses frames over RespLimits.MaxRequestBytes, so this stays far below Array.MaxLength.
        var needed = checked(_length + (int)bytes.Length);
        if (needed > _buffer.Length)
        {
            var larger = RespBuffers.Rent(Math.Max(needed, (int)Math.Min(Array.MaxLength, _buffer.Length * 2L)));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            Release();
            _buffer = larger;
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes (frames already handled).</summary>
    public void Discard(int count)
    {
        _buffer.AsSpan(count, _length - count).CopyTo(_buffer);
        _length -= count;
        if (_length == 0)
        {
            Release();
            _buffer = [];
        }
    }

    public void Dispose()
    {
        Release();
        _buffer = [];
        _length = 0;
    }

    private void Release()
    {
        if (_buffer.Length > 0)
        {
            RespBuffers.Return(_buffer);
        }
    }
}
