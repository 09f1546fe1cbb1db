using System.Text;

namespace RedisProxy.Api.Http;

/// <summary>
/// Percent-decodes one piece of a raw request target into bytes, for path keys and batch-read keys alike. A raw
/// non-ASCII run (Kestrel hands such targets over as text) becomes that text's UTF-8 bytes.
/// </summary>
internal static class PercentDecoding
{
    public enum Result
    {
        Decoded,
        InvalidEncoding,

        /// <summary>The bytes do not fit in the destination: the caller sizes it to its limit.</summary>
        TooLong,
    }

    public static Result Decode(ReadOnlySpan<char> encoded, Span<byte> destination, bool plusIsSpace, out int written)
    {
        written = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c >= 0x80)
            {
                var end = i + 1;
                while (end < encoded.Length && encoded[end] >= 0x80)
                {
                    end++;
                }

                var run = encoded[i..end];
                if (Encoding.UTF8.GetByteCount(run) > destination.Length - written)
                {
                    return Result.TooLong;
                }

                written += Encoding.UTF8.GetBytes(run, destination[written..]);
                i = end - 1;
                continue;
            }

            if (written == destination.Length)
            {
                return Result.TooLong;
            }

            if (c == '%')
            {
                var high = i + 2 < encoded.Length ? HexValue(encoded[i + 1]) : -1;
                var low = i + 2 < encoded.Length ? HexValue(encoded[i + 2]) : -1;
                if (high < 0 || low < 0)
                {
                    return Result.InvalidEncoding;
                }

                destination[written++] = (byte)((high << 4) | low);
                i += 2;
            }
            else
            {
                destination[written++] = c == '+' && plusIsSpace ? (byte)' ' : (byte)c;
            }
        }

        return Result.Decoded;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
