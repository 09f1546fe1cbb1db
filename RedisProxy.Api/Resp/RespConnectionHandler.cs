using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace RedisProxy.Api.Resp;

/// <summary>
/// The Redis-protocol front door on PROXY_RESP_PORT: Kestrel hands each accepted connection here, and a
/// <see cref="RespSession"/> serves it. Whatever goes wrong on one connection ends that connection only.
/// </summary>
internal sealed class RespConnectionHandler(RespServerContext server, ILogger<RespConnectionHandler> logger) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var id = server.Clients.Connect();
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        using var session = new RespSession(
            connection.Transport.Input, connection.Transport.Output, id, server, connection.ConnectionClosed, socket is null ? null : () => HasUnreadBytes(socket));
        try
        {
            await session.RunAsync();
        }
        catch (OperationCanceledException) when (connection.ConnectionClosed.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            // The client vanished or the connection was cut under the session: routine, worth a look only when debugging.
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug(e, "RESP connection {ConnectionId} (client {ClientId}) ended with an error", connection.ConnectionId, id);
            }
        }
        catch (Exception e)
        {
            // Anything else is a fault in the proxy: an operator should see it. It still ends only this connection, and
            // never reaches Kestrel's accept loop.
            logger.LogWarning(e, "RESP connection {ConnectionId} (client {ClientId}) ended by an unexpected error; other connections go on", connection.ConnectionId, id);
        }
        finally
        {
            await session.EndAsync();
            server.Clients.Disconnect();
        }
    }

    private static bool IsTransportFailure(Exception e) => e is IOException or SocketException or OperationCanceledException or ObjectDisposedException;

    /// <summary>Bytes the client sent that the transport has not read yet; asked only when a read deadline passes.</summary>
    private static bool HasUnreadBytes(Socket socket)
    {
        try
        {
            return socket.Available > 0;
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            return false;
        }
    }
}
