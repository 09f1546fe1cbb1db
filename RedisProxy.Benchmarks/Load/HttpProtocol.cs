using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace RedisProxy.Benchmarks.Load;

/// <summary>
/// <c>GET /{key}</c> and <c>PUT /{key}</c> (the value as the body) over HTTP/1.1 with pipelining, which Kestrel
/// answers in order. Replies are framed by Content-Length or chunked encoding; only a 200 counts as success.
/// </summary>
internal sealed class HttpProtocol : ILoadProtocol
{
    private readonly byte[][] _gets;
    private readonly byte[][] _putHeads;
    private readonly byte[] _value;

    public HttpProtocol(string prefix, int keys, int valueBytes)
    {
        _gets = new byte[keys][];
        _putHeads = new byte[keys][];
        for (var i = 0; i < keys; i++)
        {
            _gets[i] = Encoding.ASCII.GetBytes($"GET /{prefix}:{i} HTTP/1.1\r\nHost: load\r\n\r\n");
            _putHeads[i] = Encoding.ASCII.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"PUT /{prefix}:{i} HTTP/1.1\r\nHost: load\r\nContent-Length: {valueBytes}\r\n\r\n"));
        }

        _value = [.. Enumerable.Repeat((byte)'w', valueBytes)];
    }

    public void Write(IBufferWriter<byte> output, Operation operation)
    {
        if (operation.Write)
        {
            output.Write(_putHeads[operation.Key]);
            output.Write(_value);
        }
        else
        {
            output.Write(_gets[operation.Key]);
        }
    }

    public int TryFrame(ReadOnlySpan<byte> buffer, out bool ok)
    {
        ok = false;
        var headEnd = buffer.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return 0;
        }

        if (headEnd < 12 || !Utf8Parser.TryParse(buffer.Slice(9, 3), out int status, out _))
        {
            throw new InvalidDataException("unexpected HTTP status line");
        }

        ok = status == 200;
        var bodyStart = headEnd + 4;
        var (contentLength, chunked) = ReadFraming(buffer[..headEnd]);
        if (!chunked)
        {
            var total = bodyStart + contentLength;
            return buffer.Length >= total ? total : 0;
        }

        var position = bodyStart;
        while (true)
        {
            var sizeEnd = buffer[position..].IndexOf("\r\n"u8);
            if (sizeEnd < 0)
            {
                return 0;
            }

            var sizeText = buffer.Slice(position, sizeEnd);
            var extension = sizeText.IndexOf((byte)';');
            if (!Utf8Parser.TryParse(extension < 0 ? sizeText : sizeText[..extension], out int size, out _, 'x'))
            {
                throw new InvalidDataException("bad chunk size");
            }

            // Chunk data and its CRLF; the last chunk (size 0) ends with an empty trailer line.
            position += sizeEnd + 2 + size + 2;
            if (buffer.Length < position)
            {
                return 0;
            }

            if (size == 0)
            {
                return position;
            }
        }
    }

    private static (int ContentLength, bool Chunked) ReadFraming(ReadOnlySpan<byte> head)
    {
        var contentLength = 0;
        var chunked = false;
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8) && !Utf8Parser.TryParse(value, out contentLength, out _))
            {
                throw new InvalidDataException("bad Content-Length");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8);
            }
        }

        return (contentLength, chunked);
    }
}
