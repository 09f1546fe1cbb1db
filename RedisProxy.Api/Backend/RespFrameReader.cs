using System.Buffers.Text;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Reads the parts of a whole reply frame the proxy decodes itself (an invalidation push, a sentinel's announcement):
/// aggregate headers and bulk strings, from a position that advances past each part read.
/// </summary>
internal static class RespFrameReader
{
    /// <summary>An aggregate header (<c>*</c>, <c>&gt;</c>...) of <paramref name="prefix"/>: its element count.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> frame, ref int position, byte prefix, out int count)
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

    /// <summary>A bulk string (not a null one).</summary>
    public static bool TryReadBulk(ReadOnlySpan<byte> frame, ref int position, out ReadOnlySpan<byte> bulk)
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
