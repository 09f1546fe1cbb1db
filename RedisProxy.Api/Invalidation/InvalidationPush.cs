using RedisProxy.Api.Backend;

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
        if (!RespFrameReader.TryReadHeader(frame, ref position, (byte)'>', out var parts) || parts < 2
            || !RespFrameReader.TryReadBulk(frame, ref position, out var kind) || !kind.SequenceEqual("invalidate"u8))
        {
            return false;
        }

        if (position < frame.Length && frame[position] == (byte)'_')
        {
            everyKey = true;
            return true;
        }

        if (!RespFrameReader.TryReadHeader(frame, ref position, (byte)'*', out var count))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!RespFrameReader.TryReadBulk(frame, ref position, out var key))
            {
                return false;
            }

            keys.Add(key.ToArray());
        }

        return true;
    }
}
