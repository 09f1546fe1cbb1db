using System.Buffers;

namespace RedisProxy.Api.Resp.Parser;

/// <summary>
/// What <see cref="RespParser"/> needs of its input, so one parser body serves both a single span (the usual case:
/// the whole frame in the first receive buffer, read without <see cref="SequenceReader{T}"/>'s per-byte segment
/// bookkeeping) and a sequence of segments (a frame that straddles receive buffers).
/// </summary>
internal interface IRespByteReader
{
    /// <summary>Bytes read so far.</summary>
    long Consumed { get; }

    /// <summary>Bytes not yet read.</summary>
    long Remaining { get; }

    /// <summary>All the bytes there are, read or not.</summary>
    long Length { get; }

    bool TryRead(out byte value);

    void Advance(long count);
}

/// <summary>Reads one contiguous span.</summary>
internal ref struct RespSpanReader(ReadOnlySpan<byte> bytes) : IRespByteReader
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public readonly long Consumed => _position;

    public readonly long Remaining => _bytes.Length - _position;

    public readonly long Length => _bytes.Length;

    public bool TryRead(out byte value)
    {
        if ((uint)_position < (uint)_bytes.Length)
        {
            value = _bytes[_position++];
            return true;
        }

        value = 0;
        return false;
    }

    public void Advance(long count) => _position += checked((int)count);
}

/// <summary>Reads a sequence of segments.</summary>
internal ref struct RespSequenceReader(ReadOnlySequence<byte> bytes) : IRespByteReader
{
    private SequenceReader<byte> _reader = new(bytes);

    public readonly long Consumed => _reader.Consumed;

    public readonly long Remaining => _reader.Remaining;

    public readonly long Length => _reader.Length;

    public bool TryRead(out byte value) => _reader.TryRead(out value);

    public void Advance(long count) => _reader.Advance(count);
}
