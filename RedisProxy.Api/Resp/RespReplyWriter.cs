using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;
using RedisProxy.Api.Backend;
using RESPite.Messages;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Writes replies straight into the connection's output pipe, in RESP2 or RESP3. A bulk value goes from the caller's
/// memory (the cache entry) into the pipe in one copy; nothing here allocates except error messages.
/// Replies fill the pipe's memory and are committed to it (<see cref="PipeWriter.Advance"/>) only when that memory is
/// full or the batch is flushed: each <c>Advance</c> takes the pipe's lock, which cost a lock per reply part before.
/// </summary>
internal sealed class RespReplyWriter(PipeWriter output)
{
    // The pipe's memory being filled, and how much of it holds replies not yet committed.
    private Memory<byte> _memory;
    private int _buffered;

    /// <summary>2 until a HELLO 3 switches the connection to RESP3.</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>How many error replies were written, the backend's forwarded ones included: what tells a command's result.</summary>
    public long ErrorReplies { get; private set; }

    /// <summary>Reply bytes written and not yet flushed, committed or not.</summary>
    public long UnflushedBytes => (output.CanGetUnflushedBytes ? output.UnflushedBytes : 0) + _buffered;

    /// <summary>Commits what is written and sends it: the only way replies leave.</summary>
    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken)
    {
        Commit();
        return output.FlushAsync(cancellationToken);
    }

    /// <summary>Hands what is written to the pipe, without sending it.</summary>
    public void Commit()
    {
        if (_buffered > 0)
        {
            output.Advance(_buffered);
            _buffered = 0;
        }

        // Memory the pipe gave out is not ours to write once anything was committed.
        _memory = default;
    }

    public void WriteRaw(ReadOnlySpan<byte> reply)
    {
        if (!reply.IsEmpty && reply[0] == (byte)'-')
        {
            ErrorReplies++;
        }

        WriteBytes(reply);
    }

    public void WriteBulk(ReadOnlySpan<byte> value)
    {
        WritePrefixed((byte)'$', value.Length);
        WriteBytes(value);
        WriteBytes(RespReplies.Crlf);
    }

    public void WriteBulk(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WritePrefixed((byte)'$', length);
        Encoding.UTF8.GetBytes(text, Reserve(length));
        _buffered += length;
        WriteBytes(RespReplies.Crlf);
    }

    /// <summary>A RESP3 verbatim string of plain text (<c>=len\r\ntxt:…</c>), as Redis answers INFO in RESP3.</summary>
    public void WriteVerbatimText(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WritePrefixed((byte)'=', length + 4);
        WriteBytes("txt:"u8);
        Encoding.UTF8.GetBytes(text, Reserve(length));
        _buffered += length;
        WriteBytes(RespReplies.Crlf);
    }

    /// <summary>An absent value: <c>$-1</c> in RESP2, <c>_</c> in RESP3.</summary>
    public void WriteNull() => WriteBytes(Protocol == 3 ? RespReplies.Null : RespReplies.NullBulk);

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

    /// <summary>
    /// A reply forwarded from the backend, byte for byte as Redis sent it: the client library hands over the reply
    /// after its header, and the header is written again from the reply's type and length, as Redis writes it.
    /// </summary>
    public void WriteForwarded(ForwardedReply forwarded)
    {
        if (forwarded.Error is { } error)
        {
            WriteError(error);
            return;
        }

        if (forwarded.Reply is null)
        {
            WriteBytes(forwarded.Encoded.Span);
            return;
        }

        var reader = forwarded.Reply.Read();
        var prefix = reader.Prefix;
        if (prefix is RespPrefix.SimpleError or RespPrefix.BulkError)
        {
            ErrorReplies++;
        }

        switch (prefix)
        {
            case RespPrefix.Null:
                WriteBytes(RespReplies.Null);
                return;
            case RespPrefix.BulkString when reader.IsNull:
                WriteBytes(RespReplies.NullBulk);
                return;
            case RespPrefix.Array when reader.IsNull:
                WriteBytes(RespReplies.NullArray);
                return;
            case RespPrefix.BulkString or RespPrefix.VerbatimString or RespPrefix.BulkError:
                WritePrefixed((byte)prefix, reader.ScalarLength());
                break;
            case RespPrefix.Array or RespPrefix.Set or RespPrefix.Push or RespPrefix.Attribute:
                WritePrefixed((byte)prefix, reader.AggregateLength());
                break;
            case RespPrefix.Map:
                // The reader counts a map's keys and values; the header counts its pairs.
                WritePrefixed((byte)prefix, reader.AggregateLength() / 2);
                break;
            default:
                // Simple strings, errors, integers, doubles, booleans and big numbers: the prefix, then the line.
                WriteBytes([(byte)prefix]);
                break;
        }

        if (reader.TryGetRawSpan(out var raw))
        {
            WriteBytes(raw);
            return;
        }

        // A reply that spans several buffers of the client library's.
        var copy = ArrayPool<byte>.Shared.Rent(checked((int)reader.ProtocolBytesRemaining));
        try
        {
            WriteBytes(copy.AsSpan(0, reader.CopyRawTo(copy)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>An error reply; <paramref name="message"/> starts with its code (<c>ERR</c>, <c>WRONGTYPE</c>…).</summary>
    public void WriteError(string message)
    {
        ErrorReplies++;
        WriteBytes("-"u8);
        WriteLine(message);
    }

    /// <summary><c>-ERR Protocol error: {detail}</c>, the last thing a connection hears before it is closed.</summary>
    public void WriteProtocolError(string detail)
    {
        ErrorReplies++;
        WriteBytes(RespReplies.ProtocolErrorPrefix);
        WriteLine(detail);
    }

    public void WriteSimpleString(string text)
    {
        WriteBytes("+"u8);
        WriteLine(text);
    }

    private void WriteLine(string text)
    {
        // A reply line cannot hold CR or LF; Redis turns them into spaces too.
        var span = Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        span[..written].Replace((byte)'\r', (byte)' ');
        span[..written].Replace((byte)'\n', (byte)' ');
        _buffered += written;
        WriteBytes(RespReplies.Crlf);
    }

    private void WritePrefixed(byte prefix, long value)
    {
        var span = Reserve(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(value, span[1..], out var digits);
        span[digits + 1] = (byte)'\r';
        span[digits + 2] = (byte)'\n';
        _buffered += digits + 3;
    }

    /// <summary>Copies <paramref name="bytes"/> in, across as many pieces of pipe memory as it takes.</summary>
    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            var free = _memory.Span[_buffered..];
            if (bytes.Length <= free.Length)
            {
                bytes.CopyTo(free);
                _buffered += bytes.Length;
                return;
            }

            bytes[..free.Length].CopyTo(free);
            _buffered += free.Length;
            bytes = bytes[free.Length..];
            Renew(1);
        }
    }

    /// <summary>At least <paramref name="size"/> contiguous bytes to write into; the caller adds what it used to _buffered.</summary>
    private Span<byte> Reserve(int size)
    {
        if (_memory.Length - _buffered < size)
        {
            Renew(size);
        }

        return _memory.Span[_buffered..];
    }

    private void Renew(int size)
    {
        Commit();
        _memory = output.GetMemory(size);
    }
}
