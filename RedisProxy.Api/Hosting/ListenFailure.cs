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
    /// <summary>Kestrel reports a failed bind as an IOException around the socket's own error.</summary>
    public static bool Is(Exception e) => e is IOException { InnerException: AddressInUseException or SocketException };

    /// <summary>Which setting's port could not be listened on, and why.</summary>
    public static string Describe(Exception e, ProxyOptions settings)
    {
        var (name, port) = settings.ListeningPorts
            .FirstOrDefault(p => p.Port != 0 && e.Message.Contains($":{p.Port}", StringComparison.Ordinal));
        var where = name is null ? "one of its ports" : $"{name} {port}";
        var why = e.InnerException is AddressInUseException ? "it is already in use by another process" : e.InnerException!.Message;
        return $"cannot listen on {where} at {settings.ListenAddress}: {why}.";
    }
}
