using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace RedisProxy.Benchmarks.Load;

/// <summary>
/// GET and SET as RESP arrays, each request's bytes built once per key so sending costs the generator a copy only.
/// Every key exists, so a nil reply counts as an error, as does a RESP error.
/// </summary>
internal sealed class RespProtocol : ILoadProtocol
{
    private readonly byte[][] _gets;
    private readonly byte[][] _setHeads;
    private readonly byte[] _setTail;

    public RespProtocol(string prefix, int keys, int valueBytes)
    {
        _gets = new byte[keys][];
        _setHeads = new byte[keys][];
        for (var i = 0; i < keys; i++)
        {
            var key = $"{prefix}:{i}";
            _gets[i] = Encoding.ASCII.GetBytes($"*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n");
            _setHeads[i] = Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n${valueBytes}\r\n");
        }

        _setTail = [.. Enumerable.Repeat((byte)'w', valueBytes), .. "\r\n"u8];
    }

    public void Write(IBufferWriter<byte> output, Operation operation)
    {
        if (operation.Write)
        {
            output.Write(_setHeads[operation.Key]);
            output.Write(_setTail);
        }
        else
        {
            output.Write(_gets[operation.Key]);
        }
    }

    public int TryFrame(ReadOnlySpan<byte> buffer, out bool ok)
    {
        ok = false;
        var lineEnd = buffer.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return 0;
        }

        switch (buffer[0])
        {
            case (byte)'+' or (byte)':':
                ok = true;
                return lineEnd + 2;
            case (byte)'-':
                return lineEnd + 2;
            case (byte)'$' when Utf8Parser.TryParse(buffer[1..lineEnd], out int length, out _):
                if (length < 0)
                {
                    return lineEnd + 2;
                }

                var total = lineEnd + 2 + length + 2;
                ok = true;
                return buffer.Length >= total ? total : 0;
            default:
                throw new InvalidDataException($"unexpected RESP reply starting with '{(char)buffer[0]}'");
        }
    }
}
