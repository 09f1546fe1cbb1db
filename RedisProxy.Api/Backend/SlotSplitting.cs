using System.Buffers;
using System.Buffers.Text;
using System.Text;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Multi-key commands whose keys fall in several hash slots of a Redis Cluster, sent as one command per slot and
/// answered as the one command would have been (as Envoy's and twemproxy's Redis proxies do): MGET's values in the
/// order asked, the counts of EXISTS, DEL, UNLINK and TOUCH summed, MSET's OK. MSET split so is not atomic across slots.
/// Any other command over several slots is refused with Redis's own CROSSSLOT error.
/// </summary>
internal static class SlotSplitting
{
    public const string CrossSlot = "CROSSSLOT Keys in request don't hash to the same slot";

    /// <summary>Whether the command can be split: all its arguments keys (MSET: keys and values in turn).</summary>
    public static bool CanSplit(string command) => command.ToUpperInvariant() is "MGET" or "EXISTS" or "DEL" or "UNLINK" or "TOUCH" or "MSET";

    /// <summary>Sends one command per slot group, every one before the first reply is awaited, and combines the replies.</summary>
    public static async Task<ForwardedReply> ForwardAsync(
        IDatabase db, string command, ReadOnlyMemory<RedisKeyOrValue> arguments, List<int[]> groups, RedisProtocol protocol)
    {
        var upper = command.ToUpperInvariant();
        if (upper == "MSET")
        {
            var pairs = ToArray(arguments);
            var sets = groups.Select(group => db.StringSetAsync([.. group.Select(i => new KeyValuePair<RedisKey, RedisValue>(pairs[i * 2].Key, pairs[(i * 2) + 1].Value))])).ToArray();
            await Task.WhenAll(sets);
            return ForwardedReply.OfEncoded("+OK\r\n"u8.ToArray());
        }

        var keys = ToArray(arguments).Select(a => a.Key).ToArray();
        if (upper == "MGET")
        {
            var reads = groups.Select(group => db.StringGetAsync([.. group.Select(i => keys[i])])).ToArray();
            await Task.WhenAll(reads);
            var values = new RedisValue[keys.Length];
            for (var g = 0; g < groups.Count; g++)
            {
                for (var j = 0; j < groups[g].Length; j++)
                {
                    values[groups[g][j]] = reads[g].Result[j];
                }
            }

            return ForwardedReply.OfEncoded(EncodeValues(values, protocol));
        }

        var counts = groups.Select(group => db.ExecuteAsync(command, [.. group.Select(i => (object)keys[i])])).ToArray();
        await Task.WhenAll(counts);
        return ForwardedReply.OfEncoded(Encoding.ASCII.GetBytes($":{counts.Sum(c => (long)c.Result)}\r\n"));
    }

    /// <summary>An array of bulk strings, nulls as the protocol writes them.</summary>
    private static byte[] EncodeValues(RedisValue[] values, RedisProtocol protocol)
    {
        var output = new ArrayBufferWriter<byte>();
        Line(output, '*', values.Length);
        foreach (var value in values)
        {
            if (value.IsNull)
            {
                output.Write(protocol == RedisProtocol.Resp3 ? "_\r\n"u8 : "$-1\r\n"u8);
                continue;
            }

            var bytes = (byte[])value!;
            Line(output, '$', bytes.Length);
            output.Write(bytes);
            output.Write("\r\n"u8);
        }

        return output.WrittenSpan.ToArray();
    }

    private static void Line(ArrayBufferWriter<byte> output, char prefix, long number)
    {
        var span = output.GetSpan(24);
        span[0] = (byte)prefix;
        Utf8Formatter.TryFormat(number, span[1..], out var digits);
        span[digits + 1] = (byte)'\r';
        span[digits + 2] = (byte)'\n';
        output.Advance(digits + 3);
    }

    private static RedisKeyOrValue[] ToArray(ReadOnlyMemory<RedisKeyOrValue> arguments) => arguments.ToArray();
}
