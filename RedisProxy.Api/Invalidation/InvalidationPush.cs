using System.Buffers.Text;

namespace RedisProxy.Api.Invalidation;

/// <summary>
/// Reads the invalidations Redis pushes to a RESP3 connection that tracks keys: <c>&gt;2 invalidate [key ...]</c> names
/// the keys written; <c>&gt;2 invalidate _</c> (a null) means every key, after FLUSHALL or FLUSHDB.
/// </summary>
internal static class InvalidationPush
{
    /// <summary>Reads a whole push frame; false when it is not an invalidation.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, List<byte[]> keys, out bool everyKey)
    {
        everyKey = false;
        keys.Clear();
        var position = 0;
        if (!TryReadHeader(frame, ref position, (byte)'>', out var parts) || parts < 2
            || !TryReadBulk(frame, ref position, out var kind) || !kind.SequenceEqual("invalidate"u8))
        {
            return false;
        }

        if (position < frame.Length && frame[position] == (byte)'_')
        {
            everyKey = true;
            return true;
        }

        if (!TryReadHeader(frame, ref position, (byte)'*', out var count))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!TryReadBulk(frame, ref position, out var key))
            {
                return false;
            }

            keys.Add(key.ToArray());
        }

        return true;
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> frame, ref int position, byte prefix, out int count)
    {
        count = 0;
        if (position >= frame.Length || frame[position] != prefix)
        {
            return false;
        }

        var end = frame[position..].IndexOf("\r\n"u8);
        if (end < 0 || !Utf8Parser.TryParse(frame.Slice(position + 1, end - 1), out count, out _))
        {
            return false;
        }

        position += end + 2;
        return true;
    }

    private static bool TryReadBulk(ReadOnlySpan<byte> frame, ref int position, out ReadOnlySpan<byte> bulk)
    {
        bulk = default;
        if (!TryReadHeader(frame, ref position, (byte)'$', out var length) || length < 0 || position + length + 2 > frame.Length)
        {
            return false;
        }

        bulk = frame.Slice(position, length);
        position += length + 2;
        return true;
    }
}
