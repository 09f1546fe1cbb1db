using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using RedisProxy.Benchmarks.Load;

namespace RedisProxy.Benchmarks.Network;

/// <summary>
/// Bytes held for a fixed delay, then sent on. With one delay for everything, deadlines fall in arrival order, so one
/// FIFO and one thread serve every connection: it sleeps (precisely) until the oldest chunk is due, then sends all
/// that are due, in order.
/// </summary>
internal sealed class DelayLine : IDisposable
{
    private readonly ConcurrentQueue<Chunk> _chunks = new();
    private readonly ManualResetEventSlim _arrived = new(false, spinCount: 0);
    private readonly long _delayTicks;

    public DelayLine(TimeSpan delay)
    {
        _delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
        new Thread(Run) { IsBackground = true, Name = "delay line" }.Start();
    }

    /// <summary>Sends a copy of <paramref name="bytes"/> to <paramref name="to"/> after the delay; empty bytes shut its sending side.</summary>
    public void Enqueue(Socket to, ReadOnlySpan<byte> bytes)
    {
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length, 1));
        bytes.CopyTo(copy);
        _chunks.Enqueue(new Chunk(Stopwatch.GetTimestamp() + _delayTicks, to, copy, bytes.Length));
        _arrived.Set();
    }

    private void Run()
    {
        PreciseSleep.PrepareThread();
        while (true)
        {
            if (!_chunks.TryPeek(out var head))
            {
                _arrived.Reset();
                if (_chunks.IsEmpty)
                {
                    _arrived.Wait();
                }

                continue;
            }

            PreciseSleep.Until(head.Due);
            var now = Stopwatch.GetTimestamp();
            while (_chunks.TryPeek(out var chunk) && chunk.Due <= now && _chunks.TryDequeue(out chunk))
            {
                Send(chunk);
            }
        }
    }

    private static void Send(Chunk chunk)
    {
        try
        {
            if (chunk.Length == 0)
            {
                chunk.To.Shutdown(SocketShutdown.Send);
            }
            else
            {
                // Blocking: a receiver that stopped reading holds up the line, which a benchmark's peers never do.
                var sent = 0;
                while (sent < chunk.Length)
                {
                    sent += chunk.To.Send(chunk.Bytes, sent, chunk.Length - sent, SocketFlags.None);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            chunk.To.Dispose();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk.Bytes);
        }
    }

    public void Dispose() => _arrived.Dispose();

    private readonly record struct Chunk(long Due, Socket To, byte[] Bytes, int Length);
}
