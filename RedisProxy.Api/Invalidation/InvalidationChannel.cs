using System.Net;
using System.Text;
using RedisProxy.Api.Backend.Pinned;
using StackExchange.Redis;

namespace RedisProxy.Api.Invalidation;

/// <summary>
/// One primary's invalidation channel: a RESP3 connection of the proxy's own that runs <c>CLIENT TRACKING ON BCAST</c>,
/// so Redis pushes on it every key written on that node. Tracking belongs to the connection: while it is open it is
/// armed, and its loss is seen the moment the connection ends. A node that is demoted stays connected but stops
/// seeing the writes, which now go elsewhere; <see cref="CheckAsync"/> asks it whether it is still a primary.
/// </summary>
internal sealed class InvalidationChannel : IAsyncDisposable
{
    /// <summary>The client name of these connections, as CLIENT LIST shows them.</summary>
    public const string ClientName = "redisproxy-invalidation";

    private readonly PinnedConnection _connection;
    private readonly IInvalidationSink _sink;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<byte[]>? _reply;
    private Task _reading = Task.CompletedTask;

    private InvalidationChannel(PinnedConnection connection, IInvalidationSink sink)
    {
        _connection = connection;
        _sink = sink;
    }

    public EndPoint Node => _connection.EndPoint;

    /// <summary>Completes, with the reason, once the channel can no longer be trusted.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>Connects to <paramref name="node"/> and arms tracking; invalidations go to <paramref name="sink"/> from then on.</summary>
    public static async Task<InvalidationChannel> OpenAsync(EndPoint node, ConfigurationOptions options, IInvalidationSink sink, CancellationToken cancellationToken)
    {
        var connection = await PinnedConnection.OpenAsync(node, RedisProtocol.Resp3, options, ClientName, cancellationToken);
        try
        {
            var armed = await connection.CallAsync(RespRequest.Encode("CLIENT", "TRACKING", "ON", "BCAST"), cancellationToken);
            if (!PinnedReplies.IsOk(armed))
            {
                throw new IOException($"the backend refused CLIENT TRACKING: {Encoding.UTF8.GetString(armed).TrimEnd()}");
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        var channel = new InvalidationChannel(connection, sink);
        channel._reading = channel.ReadAsync();
        return channel;
    }

    /// <summary>Null while the node answers as a primary within <paramref name="timeout"/>; else what is wrong (the channel is closed).</summary>
    public async Task<string?> CheckAsync(TimeSpan timeout)
    {
        var reply = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _reply, reply);
        string? problem;
        try
        {
            await _connection.SendAsync(RoleRequest, _stop.Token);
            problem = RoleProblem(await reply.Task.WaitAsync(timeout, _stop.Token));
        }
        catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            problem = e is TimeoutException ? "the node did not answer in time" : "the connection was lost";
        }

        if (problem is not null)
        {
            Close(problem);
        }

        return problem;
    }

    public async ValueTask DisposeAsync()
    {
        Close("closed by the proxy");
        await _reading;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    private static readonly byte[] RoleRequest = RespRequest.Encode("ROLE");

    /// <summary>ROLE answers an array whose first element is the role; a server without ROLE is taken at its word.</summary>
    private static string? RoleProblem(byte[] reply)
    {
        if (PinnedReplies.IsError(reply))
        {
            return null;
        }

        var firstLine = reply.AsSpan().IndexOf("\r\n"u8);
        return firstLine > 0 && reply.AsSpan(firstLine + 2).StartsWith("$6\r\nmaster\r\n"u8) ? null : "the node is no longer a primary";
    }

    private async Task ReadAsync()
    {
        var keys = new List<byte[]>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var frame = await _connection.ReadReplyAsync(_stop.Token);
                if (!PinnedReplies.IsPush(frame))
                {
                    Volatile.Read(ref _reply)?.TrySetResult(frame);
                }
                else if (InvalidationPush.TryRead(frame, keys, out var everyKey))
                {
                    if (everyKey)
                    {
                        _sink.InvalidateAll();
                    }
                    else
                    {
                        _sink.Invalidate(keys);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            Close("the connection was lost");
        }
    }

    private void Close(string reason)
    {
        if (_closed.TrySetResult(reason))
        {
            _stop.Cancel();
        }
    }
}
