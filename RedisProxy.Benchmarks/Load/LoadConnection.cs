using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HdrHistogram;

namespace RedisProxy.Benchmarks.Load;

/// <summary>
/// One socket to the server, pipelined: requests go out as soon as they are due, whatever is still unanswered, and
/// replies come back in order (FIFO), each matched with its request's intended start. A reply's latency is measured
/// from that intended start, so a slow server cannot hide its queue by slowing the sender (no coordinated omission).
/// </summary>
internal sealed class LoadConnection : IDisposable
{
    private const long HighestMicroseconds = 60_000_000;
    private const int MaxReplyBytes = 64 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly ILoadProtocol _protocol;
    private readonly ConcurrentQueue<long> _intended = new();
    private readonly Lock _gate = new();
    private ArrayBufferWriter<byte> _queued = new(16 * 1024);
    private ArrayBufferWriter<byte> _sending = new(16 * 1024);
    private bool _sendInFlight;
    private long _measureFrom = long.MaxValue;
    private long _measureTo = long.MaxValue;

    private LoadConnection(Socket socket, ILoadProtocol protocol, int index)
    {
        _socket = socket;
        _protocol = protocol;
        Index = index;
    }

    public int Index { get; }

    /// <summary>Latencies in microseconds of the replies to requests intended inside the measured window.</summary>
    public LongHistogram Latencies { get; } = new(HighestMicroseconds, 3);

    public long Errors { get; private set; }

    /// <summary>Requests sent and not yet answered.</summary>
    public int Outstanding => _intended.Count;

    /// <summary>Called on the receiving thread after each reply, with the time it arrived (closed loop sends the next here).</summary>
    public Action<LoadConnection, long>? Replied { get; set; }

    /// <summary>Failure of the receive loop, if it ended with one.</summary>
    public Exception? Failure { get; private set; }

    public static async Task<LoadConnection> ConnectAsync(IPEndPoint server, ILoadProtocol protocol, int index, CancellationToken stop)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, stop);
        var connection = new LoadConnection(socket, protocol, index);
        _ = Task.Run(() => connection.ReceiveAsync(stop), CancellationToken.None);
        return connection;
    }

    /// <summary>Only replies to requests intended in [from, to) are recorded, so warm-up and the drain do not count.</summary>
    public void Measure(long from, long to)
    {
        _measureFrom = from;
        _measureTo = to;
    }

    /// <summary>Adds a request to the bytes waiting to go out; <see cref="Flush"/> sends them.</summary>
    public void Enqueue(Operation operation, long intendedStart)
    {
        lock (_gate)
        {
            _intended.Enqueue(intendedStart);
            _protocol.Write(_queued, operation);
        }
    }

    /// <summary>Starts sending what was queued, unless a send is already under way (it picks the rest up when done).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_sendInFlight || _queued.WrittenCount == 0)
            {
                return;
            }

            _sendInFlight = true;
            (_queued, _sending) = (_sending, _queued);
        }

        _ = SendAsync();
    }

    private async Task SendAsync()
    {
        try
        {
            while (true)
            {
                var pending = _sending.WrittenMemory;
                while (!pending.IsEmpty)
                {
                    pending = pending[await _socket.SendAsync(pending, SocketFlags.None)..];
                }

                lock (_gate)
                {
                    _sending.ResetWrittenCount();
                    if (_queued.WrittenCount == 0)
                    {
                        _sendInFlight = false;
                        return;
                    }

                    (_queued, _sending) = (_sending, _queued);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            Failure ??= exception;
        }
    }

    private async Task ReceiveAsync(CancellationToken stop)
    {
        var buffer = new byte[256 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    // Only a reply longer than the buffer gets here; the cap stops a garbled length from taking the memory.
                    if (buffer.Length >= MaxReplyBytes)
                    {
                        throw new InvalidDataException($"a reply longer than {MaxReplyBytes} bytes");
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var received = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stop);
                if (received == 0)
                {
                    return;
                }

                filled += received;
                var now = Stopwatch.GetTimestamp();
                var consumed = 0;
                while (consumed < filled)
                {
                    var length = _protocol.TryFrame(buffer.AsSpan(consumed, filled - consumed), out var ok);
                    if (length == 0)
                    {
                        break;
                    }

                    consumed += length;
                    Complete(now, ok);
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            Failure ??= exception is OperationCanceledException ? null : exception;
        }
    }

    private void Complete(long now, bool ok)
    {
        if (!_intended.TryDequeue(out var intended))
        {
            throw new InvalidDataException("a reply to no request");
        }

        if (intended >= _measureFrom && intended < _measureTo)
        {
            if (ok)
            {
                var microseconds = Stopwatch.GetElapsedTime(intended, now).Ticks / 10;
                Latencies.RecordValue(Math.Clamp(microseconds, 0, HighestMicroseconds));
            }
            else
            {
                Errors++;
            }
        }

        Replied?.Invoke(this, now);
    }

    public void Dispose() => _socket.Dispose();
}
