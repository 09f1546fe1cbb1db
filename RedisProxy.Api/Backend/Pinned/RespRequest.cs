using System.Text;
using RedisProxy.Api.Commands;

namespace RedisProxy.Api.Backend.Pinned;

/// <summary>Requests in RESP, as a pinned connection sends them: an array of bulk strings.</summary>
internal static class RespRequest
{
    /// <summary>A client's command, re-encoded (it may have come inline).</summary>
    public static byte[] Encode<TArgs>(TArgs args)
        where TArgs : ICommandArguments
    {
        var length = Header(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            length += Header(args[i].Length) + args[i].Length + 2;
        }

        var request = new byte[length];
        var written = Prefix(request, (byte)'*', args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            written += Prefix(request.AsSpan(written), (byte)'$', args[i].Length);
            args[i].CopyTo(request.AsSpan(written));
            written += args[i].Length;
            request[written++] = (byte)'\r';
            request[written++] = (byte)'\n';
        }

        return request;
    }

    /// <summary>A command of the proxy's own, from text arguments.</summary>
    public static byte[] Encode(params string[] args)
    {
        var text = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (var arg in args)
        {
            text.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The bytes of a <c>*n\r\n</c> or <c>$n\r\n</c> line.</summary>
    private static int Header(int number) => 1 + Digits(number) + 2;

    private static int Prefix(Span<byte> destination, byte prefix, int number)
    {
        destination[0] = prefix;
        System.Buffers.Text.Utf8Formatter.TryFormat(number, destination[1..], out var digits);
        destination[digits + 1] = (byte)'\r';
        destination[digits + 2] = (byte)'\n';
        return digits + 3;
    }

    private static int Digits(int number)
    {
        var digits = 1;
        for (; number >= 10; number /= 10)
        {
            digits++;
        }

        return digits;
    }
}
