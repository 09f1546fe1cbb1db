using System.Buffers;

namespace RedisProxy.Api.Resp.Parser;

/// <summary>
/// Parses one request at the start of a buffer, as Redis reads them: a multibulk frame (<c>*2\r\n$3\r\nGET\r\n$1\r\nk\r\n</c>)
/// when the first byte is <c>*</c>, otherwise an inline command line (<c>PING\r\n</c>). Pure: it reads the buffer,
/// records argument offsets, and never throws for any input; a frame cut short is <see cref="RespParseStatus.Incomplete"/>.
/// </summary>
internal static class RespParser
{
    // A length is at most 18 digits, so it never overflows a long; longer is garbage anyway.
    private const int MaxLengthDigits = 18;

    /// <summary>Parses the frame at the start of <paramref name="buffer"/>.</summary>
    /// <param name="length">
    /// Complete: the frame's length in bytes. Incomplete: the fewest bytes the buffer must hold before parsing can
    /// get further (more than its length; exact when the parser is inside a bulk payload).
    /// </param>
    /// <param name="error">ProtocolError: what is wrong, in Redis's words, without the "Protocol error: " prefix.</param>
    public static RespParseStatus Parse(ReadOnlySequence<byte> buffer, in RespLimits limits, RespArguments arguments, out long length, out string? error)
    {
        arguments.Clear();
        error = null;
        if (buffer.IsEmpty)
        {
            length = 1;
            return RespParseStatus.Incomplete;
        }

        RespParseStatus status;
        var first = buffer.FirstSpan;
        if (first.Length > 0 && first[0] == (byte)'*')
        {
            // Most frames lie whole in the first segment; only one that does not is read again across segments.
            var span = new RespSpanReader(first);
            status = ParseMultibulk(ref span, limits, arguments, out length, out error);
            if (status == RespParseStatus.Incomplete && !buffer.IsSingleSegment)
            {
                status = ParseAcrossSegments(buffer, limits, arguments, out length, out error);
            }
        }
        else
        {
            status = ParseAcrossSegments(buffer, limits, arguments, out length, out error);
        }

        if (status != RespParseStatus.Complete)
        {
            arguments.Clear();
        }

        return status;
    }

    /// <summary>Parses from the whole sequence: an inline line, or a multibulk frame the first segment does not hold whole.</summary>
    private static RespParseStatus ParseAcrossSegments(ReadOnlySequence<byte> buffer, in RespLimits limits, RespArguments arguments, out long length, out string? error)
    {
        arguments.Clear();
        var reader = new SequenceReader<byte>(buffer);
        reader.TryPeek(out var first);
        if (first != (byte)'*')
        {
            return ParseInline(ref reader, limits, arguments, out length, out error);
        }

        var segments = new RespSequenceReader(buffer);
        return ParseMultibulk(ref segments, limits, arguments, out length, out error);
    }

    private static RespParseStatus ParseMultibulk<TReader>(ref TReader reader, in RespLimits limits, RespArguments arguments, out long length, out string? error)
        where TReader : IRespByteReader, allows ref struct
    {
        error = null;
        reader.Advance(1);
        var count = ReadLength(ref reader, out var value);
        if (count == LengthStatus.Incomplete)
        {
            return NeedMore(reader.Length, out length);
        }

        length = 0;
        if (count == LengthStatus.Invalid || value > limits.MaxMultibulkLength)
        {
            error = "invalid multibulk length";
            return RespParseStatus.ProtocolError;
        }

        // Redis skips *0 and *-1 as empty requests.
        for (var i = 0L; i < value; i++)
        {
            if (!reader.TryRead(out var type))
            {
                return NeedMore(reader.Length, out length);
            }

            if (type != (byte)'$')
            {
                error = $"expected '$', got '{Printable(type)}'";
                return RespParseStatus.ProtocolError;
            }

            var bulk = ReadLength(ref reader, out var bulkLength);
            if (bulk == LengthStatus.Incomplete)
            {
                return NeedMore(reader.Length, out length);
            }

            if (bulk == LengthStatus.Invalid || bulkLength < 0 || bulkLength > limits.MaxBulkBytes)
            {
                error = "invalid bulk length";
                return RespParseStatus.ProtocolError;
            }

            var start = reader.Consumed;
            var end = start + bulkLength + 2;
            if (end > RespLimits.MaxRequestBytes)
            {
                error = "too big request";
                return RespParseStatus.ProtocolError;
            }

            if (reader.Remaining < bulkLength + 2)
            {
                length = end;
                return RespParseStatus.Incomplete;
            }

            reader.Advance(bulkLength);
            if (!reader.TryRead(out var cr) || cr != (byte)'\r' || !reader.TryRead(out var lf) || lf != (byte)'\n')
            {
                error = "expected CRLF after bulk data";
                return RespParseStatus.ProtocolError;
            }

            arguments.Add((int)start, (int)bulkLength);
        }

        length = reader.Consumed;
        return RespParseStatus.Complete;
    }

    private static RespParseStatus ParseInline(ref SequenceReader<byte> reader, in RespLimits limits, RespArguments arguments, out long length, out string? error)
    {
        error = null;
        if (!reader.TryAdvanceTo((byte)'\n'))
        {
            // The line so far may still end in the CR of its CRLF, which does not count.
            if (reader.Remaining > limits.MaxInlineBytes + 1L)
            {
                length = 0;
                error = "too big inline request";
                return RespParseStatus.ProtocolError;
            }

            return NeedMore(reader.Length, out length);
        }

        length = reader.Consumed;
        var line = reader.Sequence.Slice(0, length - 1);
        var lastByte = line.Length > 0 ? line.Slice(line.Length - 1).FirstSpan[0] : (byte)0;
        if (line.Length - (lastByte == (byte)'\r' ? 1 : 0) > limits.MaxInlineBytes)
        {
            error = "too big inline request";
            return RespParseStatus.ProtocolError;
        }

        return SplitInline(line, arguments, out error);
    }

    /// <summary>
    /// Splits an inline line on whitespace. Arguments may be quoted to hold spaces; a quoted one with escapes
    /// (<c>\x41</c>, <c>\n</c>, <c>\"</c> in double quotes, <c>\'</c> in single ones) is marked, and decoded by
    /// <see cref="DecodeQuoted"/> once the frame is bound.
    /// </summary>
    private static RespParseStatus SplitInline(ReadOnlySequence<byte> line, RespArguments arguments, out string? error)
    {
        error = null;
        var reader = new SequenceReader<byte>(line);
        while (true)
        {
            while (reader.TryPeek(out var space) && IsSpace(space))
            {
                reader.Advance(1);
            }

            if (!reader.TryPeek(out var first))
            {
                return RespParseStatus.Complete;
            }

            if (first is (byte)'"' or (byte)'\'')
            {
                reader.Advance(1);
                var start = reader.Consumed;
                if (!TrySkipQuoted(ref reader, first, out var escaped) || (reader.TryPeek(out var after) && !IsSpace(after)))
                {
                    // Redis: a quote must be closed, and followed by a space or the end of the line.
                    error = "unbalanced quotes in request";
                    return RespParseStatus.ProtocolError;
                }

                arguments.Add((int)start, (int)(reader.Consumed - 1 - start), escaped ? first : (byte)0);
            }
            else
            {
                var start = reader.Consumed;
                while (reader.TryPeek(out var b) && !IsSpace(b))
                {
                    reader.Advance(1);
                }

                arguments.Add((int)start, (int)(reader.Consumed - start));
            }
        }
    }

    /// <summary>Moves past the closing quote; false when the line ends first. <paramref name="escaped"/>: whether an escape was passed.</summary>
    private static bool TrySkipQuoted(ref SequenceReader<byte> reader, byte quote, out bool escaped)
    {
        escaped = false;
        while (reader.TryRead(out var b))
        {
            if (b == quote)
            {
                return true;
            }

            if (b != (byte)'\\')
            {
                continue;
            }

            if (quote == (byte)'"')
            {
                escaped = true;
                if (!reader.TryRead(out _))
                {
                    return false;
                }
            }
            else if (reader.IsNext((byte)'\'', advancePast: true))
            {
                escaped = true;
            }
        }

        return false;
    }

    /// <summary>
    /// Decodes, in place, a quoted inline argument's escapes as Redis does (sdssplitargs): in double quotes
    /// <c>\xHH</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\b</c>, <c>\a</c>, and any other escaped byte as itself; in single
    /// quotes only <c>\'</c>. Returns the decoded length, never more than the text's.
    /// </summary>
    public static int DecodeQuoted(Span<byte> text, byte quote)
    {
        var written = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'\\' && i + 1 < text.Length)
            {
                if (quote == (byte)'"')
                {
                    if (text[i + 1] == (byte)'x' && i + 3 < text.Length && IsHex(text[i + 2]) && IsHex(text[i + 3]))
                    {
                        b = (byte)((HexValue(text[i + 2]) << 4) | HexValue(text[i + 3]));
                        i += 3;
                    }
                    else
                    {
                        i++;
                        b = text[i] switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'r' => (byte)'\r',
                            (byte)'t' => (byte)'\t',
                            (byte)'b' => (byte)'\b',
                            (byte)'a' => (byte)'\a',
                            var other => other,
                        };
                    }
                }
                else if (text[i + 1] == (byte)'\'')
                {
                    b = (byte)'\'';
                    i++;
                }
            }

            text[written++] = b;
        }

        return written;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static LengthStatus ReadLength<TReader>(ref TReader reader, out long value)
        where TReader : IRespByteReader, allows ref struct
    {
        value = 0;
        if (!reader.TryRead(out var b))
        {
            return LengthStatus.Incomplete;
        }

        var negative = b == (byte)'-';
        if (negative && !reader.TryRead(out b))
        {
            return LengthStatus.Incomplete;
        }

        var digits = 0;
        while (b != (byte)'\r')
        {
            if (b is < (byte)'0' or > (byte)'9' || digits == MaxLengthDigits)
            {
                return LengthStatus.Invalid;
            }

            value = (value * 10) + (b - '0');
            digits++;
            if (!reader.TryRead(out b))
            {
                return LengthStatus.Incomplete;
            }
        }

        if (digits == 0)
        {
            return LengthStatus.Invalid;
        }

        if (!reader.TryRead(out var lf))
        {
            return LengthStatus.Incomplete;
        }

        if (negative)
        {
            value = -value;
        }

        return lf == (byte)'\n' ? LengthStatus.Valid : LengthStatus.Invalid;
    }

    /// <summary>Incomplete: the buffer must grow past its <paramref name="bufferLength"/> before parsing gets further.</summary>
    private static RespParseStatus NeedMore(long bufferLength, out long length)
    {
        length = bufferLength + 1;
        return RespParseStatus.Incomplete;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f';

    private static string Printable(byte b) => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}";

    private enum LengthStatus
    {
        Valid,
        Incomplete,
        Invalid,
    }
}
