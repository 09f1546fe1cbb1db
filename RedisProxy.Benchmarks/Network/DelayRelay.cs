using System.Net;
using System.Net.Sockets;

namespace RedisProxy.Benchmarks.Network;

/// <summary>
/// A TCP relay that delays every byte by a fixed time in each direction: the network hop of bench/remote.sh on a
/// kernel without the netem qdisc. Each accepted connection gets one to the upstream server; what either side sends
/// reaches the other through the shared <see cref="DelayLine"/>.
/// </summary>
internal static class DelayRelay
{
    public static async Task RunAsync(IPEndPoint listen, IPEndPoint upstream, TimeSpan delay)
    {
        using var line = new DelayLine(delay);
        using var listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(listen);
        listener.Listen(1024);
        Console.WriteLine($"delay-relay: {listen} -> {upstream}, {delay.TotalMilliseconds} ms each way");
        while (true)
        {
            var client = await listener.AcceptAsync();
            _ = RelayAsync(client, upstream, line);
        }
    }

    private static async Task RelayAsync(Socket client, IPEndPoint upstream, DelayLine line)
    {
        client.NoDelay = true;
        var server = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await server.ConnectAsync(upstream);
            await Task.WhenAll(PumpAsync(client, server, line), PumpAsync(server, client, line));
        }
        catch (SocketException)
        {
            // Either side went away; closing both below is all there is to do.
        }
        finally
        {
            // The last chunks may still be in the line; they fail to send once these are closed, which is harmless.
            await Task.Delay(TimeSpan.FromSeconds(1));
            client.Dispose();
            server.Dispose();
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, DelayLine line)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var received = await from.ReceiveAsync(buffer, SocketFlags.None);
            line.Enqueue(to, buffer.AsSpan(0, received));
            if (received == 0)
            {
                return;
            }
        }
    }
}
