using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RedisProxy.Api.Backend.Pinned;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Listens to one sentinel's <c>+switch-master</c> announcements on a thread of its own, with blocking reads: under
/// load the thread pool can be a second behind, and every moment the proxy still takes the old primary's replies
/// after a switch is a moment in which it could acknowledge a write the new primary will never hold. Reconnects a
/// second after a lost connection, until disposed.
/// </summary>
internal sealed class SentinelAnnouncements : IDisposable
{
    private static readonly byte[] Subscribe = RespRequest.Encode("SUBSCRIBE", "+switch-master");
    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(1);

    private readonly EndPoint _sentinel;
    private readonly Action<string> _onAnnouncement;
    private readonly Thread _thread;
    private volatile bool _stopped;
    private Socket? _socket;

    /// <param name="onAnnouncement">Called on the listening thread with each message: "name old-ip old-port new-ip new-port".</param>
    public SentinelAnnouncements(EndPoint sentinel, Action<string> onAnnouncement)
    {
        _sentinel = sentinel;
        _onAnnouncement = onAnnouncement;
        _thread = new Thread(Listen) { IsBackground = true, Name = "sentinel announcements" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stopped = true;
        Volatile.Read(ref _socket)?.Dispose();
    }

    private void Listen()
    {
        while (!_stopped)
        {
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                Volatile.Write(ref _socket, socket);
                socket.Connect(_sentinel);
                socket.Send(Subscribe);
                ReadMessages(socket);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidDataException or IOException)
            {
                // Lost or refused: the periodic check covers the gap, and the next attempt comes after a pause.
            }

            if (!_stopped)
            {
                Thread.Sleep(ReconnectAfter);
            }
        }
    }

    private void ReadMessages(Socket socket)
    {
        var buffer = new byte[4096];
        var filled = 0;
        while (!_stopped)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (read == 0)
            {
                return;
            }

            filled += read;
            var start = 0;
            while (RespReplyFramer.TryFrame(new ReadOnlySequence<byte>(buffer, start, filled - start), out var length))
            {
                if (Message(buffer.AsSpan(start, (int)length)) is { } message)
                {
                    _onAnnouncement(message);
                }

                start += (int)length;
            }

            buffer.AsSpan(start, filled - start).CopyTo(buffer);
            filled -= start;
        }
    }

    /// <summary>The payload of a <c>message</c> frame; null for anything else (the subscription's confirmation).</summary>
    private static string? Message(ReadOnlySpan<byte> frame)
    {
        var position = 0;
        return RespFrameReader.TryReadHeader(frame, ref position, (byte)'*', out var parts) && parts == 3
            && RespFrameReader.TryReadBulk(frame, ref position, out var kind) && kind.SequenceEqual("message"u8)
            && RespFrameReader.TryReadBulk(frame, ref position, out _)
            && RespFrameReader.TryReadBulk(frame, ref position, out var payload)
                ? Encoding.UTF8.GetString(payload)
                : null;
    }
}
