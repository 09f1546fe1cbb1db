using System.Net.Sockets;
using System.Text;

namespace RedisProxy.SystemTests.Resp;

/// <summary>
/// A bare TCP connection to the RESP port that sends bytes exactly as written and reads replies as raw text, for
/// what a client library would never send: inline commands, malformed frames, half a frame and a hang-up.
/// </summary>
public sealed class RawResp : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawResp(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawResp> OpenAsync(Uri endpoint)
    {
        var client = new TcpClient { NoDelay = true };
        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
        return new RawResp(client);
    }

    /// <summary>
    /// A multibulk frame of the arguments, as a client library would send it; each character is one byte on the wire
    /// (see <see cref="SendAsync(string)"/>).
    /// </summary>
    public static string Frame(params string[] arguments) =>
        $"*{arguments.Length}\r\n" + string.Concat(arguments.Select(Bulk));

    /// <summary>A bulk string, as a request argument or a GET's reply; one byte per character, as <see cref="Frame"/>.</summary>
    public static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    /// <summary>Sends the text's characters as bytes (Latin-1), in one write.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    /// <summary>Sends the command, then reads its one reply.</summary>
    public async Task<string> CallAsync(string text)
    {
        await SendAsync(text);
        return await ReadReplyAsync();
    }

    /// <summary>One whole reply, nested ones included, as the raw text on the wire.</summary>
    public async Task<string> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var reply = new StringBuilder();
        await ReadReplyAsync(reply, timeout.Token);
        return reply.ToString();
    }

    /// <summary>The next <paramref name="count"/> replies, in the order they arrive.</summary>
    public async Task<string[]> ReadRepliesAsync(int count)
    {
        var replies = new string[count];
        for (var i = 0; i < count; i++)
        {
            replies[i] = await ReadReplyAsync();
        }

        return replies;
    }

    /// <summary>Reads until the server closes the connection; fails if it stays open.</summary>
    public async Task<string> ReadUntilClosedAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var rest = new StringBuilder(Encoding.Latin1.GetString(_buffer, _start, _end - _start));
        _start = _end = 0;
        while (true)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer, timeout.Token);
            }
            catch (IOException)
            {
                // A reset is a close too.
                return rest.ToString();
            }

            if (read == 0)
            {
                return rest.ToString();
            }

            rest.Append(Encoding.Latin1.GetString(_buffer, 0, read));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }

    private async Task ReadReplyAsync(StringBuilder reply, CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        reply.Append(line).Append("\r\n");
        var type = line[0];
        var count = type is '$' or '*' or '%' or '~' or '>' or '=' ? int.Parse(line.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) : 0;
        switch (type)
        {
            case '$' or '=' when count >= 0:
                reply.Append(await ReadExactlyAsync(count + 2, cancellationToken));
                break;
            case '*' or '~' or '>' or '%':
                for (var i = 0; i < (type == '%' ? count * 2 : count); i++)
                {
                    await ReadReplyAsync(reply, cancellationToken);
                }

                break;
            default:
                break;
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (end > _start && _buffer[end - 1] == (byte)'\r')
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, end - 1 - _start);
                _start = end + 1;
                return line;
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task<string> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var take = Math.Min(count, _end - _start);
            text.Append(Encoding.Latin1.GetString(_buffer, _start, take));
            _start += take;
            count -= take;
        }

        return text.ToString();
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new IOException($"The server closed the connection; unread: '{Encoding.Latin1.GetString(_buffer, 0, _end)}'");
        }

        _end += read;
    }
}
