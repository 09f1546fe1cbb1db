using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Hosting;

/// <summary>
/// A port the proxy cannot listen on (taken by another process, or not allowed) stops start-up with one line that
/// names the setting, instead of an unhandled exception and an aborted process.
/// </summary>
internal static class ListenFailure
{
    /// <summary>
    /// Binds each port as Kestrel will, and lets go at once, before the host starts: a failure found here stops start-up
    /// with the one line alone, where the host, failing to bind, first logs its own stack trace. A port taken in the
    /// moment between is still caught after the host has tried (<see cref="Is"/>).
    /// </summary>
    public static string? FindUnavailablePort(ProxyOptions settings)
    {
        var address = settings.ListenIPAddress;
        foreach (var (name, port) in settings.ListeningPorts.Where(p => p.Port != 0))
        {
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (address.Equals(System.Net.IPAddress.IPv6Any))
                {
                    socket.DualMode = true;
                }

                socket.Bind(new System.Net.IPEndPoint(address, port));
            }
            catch (SocketException e)
            {
                return Message($"{name} {port}", settings, e.SocketErrorCode == SocketError.AddressAlreadyInUse ? InUse : e.Message);
            }
        }

        return null;
    }

    /// <summary>Kestrel reports a failed bind as an IOException around the socket's own error.</summary>
    public static bool Is(Exception e) => e is IOException { InnerException: AddressInUseException or SocketException };

    /// <summary>Which setting's port could not be listened on, and why.</summary>
    public static string Describe(Exception e, ProxyOptions settings)
    {
        var (name, port) = settings.ListeningPorts
            .FirstOrDefault(p => p.Port != 0 && e.Message.Contains($":{p.Port}", StringComparison.Ordinal));
        var where = name is null ? "one of its ports" : $"{name} {port}";
        return Message(where, settings, e.InnerException is AddressInUseException ? InUse : e.InnerException!.Message);
    }

    private const string InUse = "it is already in use by another process";

    private static string Message(string where, ProxyOptions settings, string why) => $"cannot listen on {where} at {settings.ListenAddress}: {why}.";
}
