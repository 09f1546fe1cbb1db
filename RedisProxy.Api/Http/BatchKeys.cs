using System.Text;

namespace RedisProxy.Api.Http;

/// <summary>
/// Reads the keys of a batch read, <c>GET /?keys=a,b,c</c>, from the raw request target. Items are split on the
/// literal commas first and percent-decoded after, so <c>%2C</c> is a comma inside a key (as <c>%2F</c> is a slash
/// inside a path key) and a key may hold any bytes. <c>keys</c> may also be repeated; <c>+</c> is a space, as in
/// every query string, so a literal plus is <c>%2B</c>.
/// </summary>
internal static class BatchKeys
{
    public enum Outcome
    {
        Keys,
        NotBatch,
        EmptyKey,
        InvalidEncoding,
        TooLong,
    }

    private const string Parameter = "keys";

    public static Outcome Parse(string rawTarget, int maxKeyBytes, List<ReadOnlyMemory<byte>> keys)
    {
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return Outcome.NotBatch;
        }

        var seen = false;
        foreach (var pair in rawTarget.AsSpan(question + 1).Split('&'))
        {
            var field = rawTarget.AsSpan(question + 1)[pair];
            var equals = field.IndexOf('=');
            var name = equals < 0 ? field : field[..equals];
            if (!name.SequenceEqual(Parameter))
            {
                continue;
            }

            seen = true;
            var list = equals < 0 ? [] : field[(equals + 1)..];
            foreach (var item in list.Split(','))
            {
                var outcome = Decode(list[item], maxKeyBytes, out var key);
                if (outcome != Outcome.Keys)
                {
                    return outcome;
                }

                keys.Add(key);
            }
        }

        return seen ? Outcome.Keys : Outcome.NotBatch;
    }

    private static Outcome Decode(ReadOnlySpan<char> encoded, int maxKeyBytes, out byte[] key)
    {
        key = [];
        if (encoded.IsEmpty)
        {
            return Outcome.EmptyKey;
        }

        var buffer = new byte[Math.Min(Encoding.UTF8.GetMaxByteCount(encoded.Length), maxKeyBytes)];
        switch (PercentDecoding.Decode(encoded, buffer, plusIsSpace: true, out var written))
        {
            case PercentDecoding.Result.Decoded:
                key = buffer[..written];
                return Outcome.Keys;
            case PercentDecoding.Result.TooLong:
                return Outcome.TooLong;
            default:
                return Outcome.InvalidEncoding;
        }
    }
}
