using System.Buffers;
using System.Buffers.Text;

namespace RedisProxy.Api.Backend.Pinned;

/// <summary>
/// Finds where one reply ends in what a backend sent, RESP2 or RESP3, nested replies included, without decoding it:
/// a pinned connection relays replies as bytes. A partial reply is the normal case ("need more bytes").
/// </summary>
internal static class RespReplyFramer
{
    /// <summary>The length of the whole reply at the start of <paramref name="bytes"/>; false when it is not all there yet.</summary>
    /// <exception cref="InvalidDataException">The bytes are not RESP.</exception>
    public static bool TryFrame(ReadOnlySequence<byte> bytes, out long length)
    {
        var reader = new SequenceReader<byte>(bytes);
        var complete = TrySkipValue(ref reader);
        length = complete ? reader.Consumed : 0;
        return complete;
    }

    private static bool TrySkipValue(ref SequenceReader<byte> reader)
    {
        // Attributes (RESP3 '|') come before the value they describe; they are part of its frame.
        while (true)
        {
            if (!reader.TryRead(out var prefix) || !reader.TryReadTo(out ReadOnlySpan<byte> line, "\r\n"u8))
            {
                return false;
            }

            switch (prefix)
            {
                case (byte)'+' or (byte)'-' or (byte)':' or (byte)',' or (byte)'#' or (byte)'(' or (byte)'_':
                    return true;
                case (byte)'$' or (byte)'=' or (byte)'!':
                    var length = Number(line);
                    // A RESP2 null bulk string is $-1 with no body.
                    return length < 0 || TryAdvance(ref reader, length + 2);
                case (byte)'*' or (byte)'~' or (byte)'>':
                    return TrySkipChildren(ref reader, Number(line));
                case (byte)'%':
                    return TrySkipChildren(ref reader, Number(line) * 2);
                case (byte)'|':
                    if (!TrySkipChildren(ref reader, Number(line) * 2))
                    {
                        return false;
                    }

                    continue;
                default:
                    throw new InvalidDataException($"Not a RESP reply (a line starting with byte {prefix}).");
            }
        }
    }

    private static bool TrySkipChildren(ref SequenceReader<byte> reader, long count)
    {
        // A RESP2 null array is *-1 with no elements.
        for (var i = 0L; i < count; i++)
        {
            if (!TrySkipValue(ref reader))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryAdvance(ref SequenceReader<byte> reader, long count)
    {
        if (reader.Remaining < count)
        {
            return false;
        }

        reader.Advance(count);
        return true;
    }

    private static long Number(ReadOnlySpan<byte> line) =>
        Utf8Parser.TryParse(line, out long value, out var used) && used == line.Length
            ? value
            : throw new InvalidDataException("Not a RESP reply (a length that is not a number).");
}
