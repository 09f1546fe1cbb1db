using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend.Pinned;

/// <summary>
/// One backend connection of the proxy's own, lent to one client at a time for what cannot share a connection: a
/// transaction, a subscription, a blocking command. Requests go out as RESP bytes and replies come back as whole
/// reply frames, undecoded; the connection speaks the protocol and sits in the database it was opened with or last
/// selected.
/// </summary>
internal sealed class PinnedConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;

    private PinnedConnection(EndPoint endPoint, RedisProtocol protocol, Socket socket, Stream stream)
    {
        EndPoint = endPoint;
        Protocol = protocol;
        _socket = socket;
        _stream = stream;
        _input = PipeReader.Create(stream);
        _output = PipeWriter.Create(stream);
    }

    public EndPoint EndPoint { get; }

    public RedisProtocol Protocol { get; }

    /// <summary>The database the connection is in (SELECT).</summary>
    public int Database { get; private set; }

    /// <summary>The client name of the connections lent to clients, as CLIENT LIST shows them.</summary>
    public const string LentClientName = "redisproxy-pinned";

    /// <summary>
    /// Opens a connection, authenticates it, switches it to <paramref name="protocol"/> and names it
    /// <paramref name="clientName"/>, so CLIENT LIST tells it apart from the proxy's shared connections.
    /// </summary>
    public static async Task<PinnedConnection> OpenAsync(
        EndPoint endPoint, RedisProtocol protocol, ConfigurationOptions options, string clientName, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (options.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions { TargetHost = options.SslHost ?? HostOf(endPoint) }, cancellationToken);
                stream = ssl;
            }

            var connection = new PinnedConnection(endPoint, protocol, socket, stream);
            await connection.HandshakeAsync(options, clientName, cancellationToken);
            return connection;
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request, already in RESP.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var flush = await _output.WriteAsync(request, cancellationToken);
        if (flush.IsCompleted)
        {
            throw new IOException("The backend closed the connection.");
        }
    }

    /// <summary>The next whole reply frame, as its RESP bytes.</summary>
    public async ValueTask<byte[]> ReadReplyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (RespReplyFramer.TryFrame(buffer, out var length))
            {
                var reply = buffer.Slice(0, length).ToArray();
                _input.AdvanceTo(buffer.GetPosition(length));
                return reply;
            }

            if (result.IsCompleted)
            {
                throw new IOException("The backend closed the connection.");
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The next whole reply frame if it has arrived already, without waiting; false otherwise.</summary>
    public bool TryReadBufferedReply(out byte[] reply)
    {
        reply = [];
        if (!_input.TryRead(out var result))
        {
            return false;
        }

        var buffer = result.Buffer;
        if (!RespReplyFramer.TryFrame(buffer, out var length))
        {
            _input.AdvanceTo(buffer.Start, buffer.End);
            return false;
        }

        reply = buffer.Slice(0, length).ToArray();
        _input.AdvanceTo(buffer.GetPosition(length));
        return true;
    }

    /// <summary>Sends a request and reads its reply.</summary>
    public async ValueTask<byte[]> CallAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        await SendAsync(request, cancellationToken);
        return await ReadReplyAsync(cancellationToken);
    }

    /// <summary>Moves the connection to <paramref name="database"/>, unless it is there already.</summary>
    public async ValueTask SelectAsync(int database, CancellationToken cancellationToken)
    {
        if (database == Database)
        {
            return;
        }

        Expect(await CallAsync(RespRequest.Encode("SELECT", database.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken), "SELECT");
        Database = database;
    }

    /// <summary>Notes that a SELECT the client sent (directly or in a transaction) moved the connection.</summary>
    public void Moved(int database) => Database = database;

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        await _output.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task HandshakeAsync(ConfigurationOptions options, string clientName, CancellationToken cancellationToken)
    {
        var user = options.User ?? "default";
        if (Protocol == RedisProtocol.Resp3)
        {
            var hello = options.Password is null
                ? RespRequest.Encode("HELLO", "3")
                : RespRequest.Encode("HELLO", "3", "AUTH", user, options.Password);
            Expect(await CallAsync(hello, cancellationToken), "HELLO");
        }
        else if (options.Password is not null)
        {
            Expect(await CallAsync(RespRequest.Encode("AUTH", user, options.Password), cancellationToken), "AUTH");
        }

        await CallAsync(RespRequest.Encode("CLIENT", "SETNAME", clientName), cancellationToken);
    }

    /// <summary>Fails on an error reply to a command of the proxy's own; the message never carries a password.</summary>
    private static void Expect(byte[] reply, string command)
    {
        if (reply.Length > 0 && reply[0] is (byte)'-' or (byte)'!')
        {
            throw new IOException($"The backend refused {command}: {Encoding.UTF8.GetString(reply).TrimEnd()}");
        }
    }

    private static string HostOf(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => dns.Host,
        IPEndPoint ip => ip.Address.ToString(),
        _ => endPoint.ToString() ?? "",
    };
}
