using System.Globalization;
using System.Text;

namespace RedisProxy.TestSupport;

/// <summary>
/// Turns a well-formed RESP frame into a plausible broken one (a flipped byte, a dropped byte, a stray protocol
/// character or number, a truncation), for the parser's fuzz test and the server's alike.
/// </summary>
public static class RespFrameMutator
{
    private static readonly byte[] ProtocolCharacters = "*$\r\n-0123456789\"' "u8.ToArray();

    public static byte[] Mutate(Random random, byte[] seed, int minEdits, int maxEdits)
    {
        var bytes = new List<byte>(seed);
        for (var edits = random.Next(minEdits, maxEdits + 1); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.Insert(at, ProtocolCharacters[random.Next(ProtocolCharacters.Length)]);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(-10, 100_000).ToString(CultureInfo.InvariantCulture)));
                    break;
            }
        }

        return bytes.Count == 0 ? [(byte)'*'] : [.. bytes];
    }
}
