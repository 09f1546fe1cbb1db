using System.Text;

namespace RedisProxy.Api.Http;

/// <summary>
/// Turns the request target into key bytes: everything after the first '/' up to any '?', percent-decoded.
/// Decoding the raw target ourselves (rather than using the already decoded path) keeps <c>%2F</c> a '/' inside
/// the key and lets a key hold any bytes at all.
/// </summary>
internal static class KeyPath
{
    public enum Outcome
    {
        Key,
        Empty,
        InvalidEncoding,
        TooLong,
    }

    /// <summary>The most bytes <paramref name="target"/> can decode to, to size the buffer for <see cref="Decode"/>.</summary>
    public static int MaxDecodedLength(ReadOnlySpan<char> target) => Encoding.UTF8.GetMaxByteCount(target.Length);

    public static ReadOnlySpan<char> PathOf(string rawTarget)
    {
        var target = rawTarget.AsSpan();
        var query = target.IndexOf('?');
        if (query >= 0)
        {
            target = target[..query];
        }

        // An absolute-form target (http://host/path) carries the path after its authority.
        if (!target.IsEmpty && target[0] != '/')
        {
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                var rest = target[(scheme + 3)..];
                var slash = rest.IndexOf('/');
                target = slash >= 0 ? rest[slash..] : [];
            }
        }

        return target;
    }

    /// <summary>Decodes the key of <paramref name="path"/> into <paramref name="destination"/>.</summary>
    public static Outcome Decode(ReadOnlySpan<char> path, Span<byte> destination, int maxKeyBytes, out int written)
    {
        written = 0;
        if (path.Length <= 1)
        {
            return Outcome.Empty;
        }

        var encoded = path[1..];
        for (var i = 0; i < encoded.Length; i++)
        {
            if (written >= maxKeyBytes)
            {
                return Outcome.TooLong;
            }

            var c = encoded[i];
            if (c == '%')
            {
                if (i + 2 >= encoded.Length)
                {
                    return Outcome.InvalidEncoding;
                }

                var high = HexValue(encoded[i + 1]);
                var low = HexValue(encoded[i + 2]);
                if (high < 0 || low < 0)
                {
                    return Outcome.InvalidEncoding;
                }

                destination[written++] = (byte)((high << 4) | low);
                i += 2;
            }
            else if (c < 0x80)
            {
                destination[written++] = (byte)c;
            }
            else
            {
                // Kestrel hands over a raw non-ASCII target as text; its key bytes are that text in UTF-8.
                var end = i + 1;
                while (end < encoded.Length && encoded[end] >= 0x80)
                {
                    end++;
                }

                var bytes = Encoding.UTF8.GetBytes(encoded[i..end], destination[written..]);
                written += bytes;
                i = end - 1;
            }
        }

        return written > maxKeyBytes ? Outcome.TooLong : Outcome.Key;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
