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

        var room = destination[..Math.Min(destination.Length, maxKeyBytes)];
        return PercentDecoding.Decode(path[1..], room, plusIsSpace: false, out written) switch
        {
            PercentDecoding.Result.Decoded => Outcome.Key,
            PercentDecoding.Result.TooLong => Outcome.TooLong,
            _ => Outcome.InvalidEncoding,
        };
    }
}
