using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Writes replies straight into the connection's output pipe, in RESP2 or RESP3. A bulk value goes from the caller's
/// memory (the cache entry) into the pipe in one copy; nothing here allocates except error messages.
/// </summary>
internal sealed class RespReplyWriter(PipeWriter output)
{
    /// <summary>2 until a HELLO 3 switches the connection to RESP3.</summary>
    public int Protocol { get; set; } = 2;

    public long UnflushedBytes => output.CanGetUnflushedBytes ? output.UnflushedBytes : 0;

    public void WriteRaw(ReadOnlySpan<byte> reply) => output.Write(reply);

    public void WriteBulk(ReadOnlySpan<byte> value)
    {
        WritePrefixed((byte)'$', value.Length);
        output.Write(value);
        output.Write(RespReplies.Crlf);
    }

    public void WriteBulk(string text)
    {
        WritePrefixed((byte)'$', Encoding.UTF8.GetByteCount(text));
        Encoding.UTF8.GetBytes(text, output);
        output.Write(RespReplies.Crlf);
    }

    /// <summary>An absent value: <c>$-1</c> in RESP2, <c>_</c> in RESP3.</summary>
    public void WriteNull() => output.Write(Protocol == 3 ? RespReplies.Null : RespReplies.NullBulk);

    public void WriteInteger(long value) => WritePrefixed((byte)':', value);

    public void WriteArrayHeader(int count) => WritePrefixed((byte)'*', count);

    /// <summary>A map of <paramref name="pairs"/> entries: <c>%</c> in RESP3, a flat array of keys and values in RESP2.</summary>
    public void WriteMapHeader(int pairs)
    {
        if (Protocol == 3)
        {
            WritePrefixed((byte)'%', pairs);
        }
        else
        {
            WritePrefixed((byte)'*', pairs * 2L);
        }
    }

    /// <summary>An error reply; <paramref name="message"/> starts with its code (<c>ERR</c>, <c>WRONGTYPE</c>…).</summary>
    public void WriteError(string message)
    {
        output.Write("-"u8);
        WriteLine(message);
    }

    /// <summary><c>-ERR Protocol error: {detail}</c>, the last thing a connection hears before it is closed.</summary>
    public void WriteProtocolError(string detail)
    {
        output.Write(RespReplies.ProtocolErrorPrefix);
        WriteLine(detail);
    }

    public void WriteSimpleString(string text)
    {
        output.Write("+"u8);
        WriteLine(text);
    }

    private void WriteLine(string text)
    {
        // A reply line cannot hold CR or LF; Redis turns them into spaces too.
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        span[..written].Replace((byte)'\r', (byte)' ');
        span[..written].Replace((byte)'\n', (byte)' ');
        output.Advance(written);
        output.Write(RespReplies.Crlf);
    }

    private void WritePrefixed(byte prefix, long value)
    {
        var span = output.GetSpan(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(value, span[1..], out var digits);
        span[digits + 1] = (byte)'\r';
        span[digits + 2] = (byte)'\n';
        output.Advance(digits + 3);
    }
}
