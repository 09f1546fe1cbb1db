using System.Net.Sockets;
using RedisProxy.Api.Backend.Pinned;
using RedisProxy.Api.Commands;
using RedisProxy.Api.Core;
using StackExchange.Redis;

namespace RedisProxy.Api.Resp;

/// <summary>
/// What needs a backend connection of its own gets one from the pool (<see cref="PinnedConnectionPool"/>): a
/// transaction (see RespSession.Transactions.cs), a blocking command for as long as it waits, a subscriber for as long
/// as it stays. Replies come back as Redis wrote them. A client that leaves or resets gives its connection back; one
/// whose state is unknown (a command cut short) is closed instead, which also makes Redis drop what it held for it.
/// </summary>
internal sealed partial class RespSession
{
    private PinnedConnection? _pinned;

    /// <summary>Copies every reply and message of a subscriber's pinned connection to the client, in the order they come.</summary>
    private Task? _relay;

    /// <summary>Guards the reply writer while the relay writes too.</summary>
    private readonly SemaphoreSlim _output = new(1, 1);

    /// <summary>RESP3 subscribers: what each command sent (not a subscription change) may write, applied when its reply comes.</summary>
    private readonly Queue<ForwardedCommand?> _awaitingReplies = new();
    private CancellationTokenSource? _relayStop;

    private bool IsSubscriber => _relay is not null;

    /// <summary>Pins a connection for this client; the refusal to send when none is free (or the backend cannot be reached).</summary>
    private async ValueTask<string?> TryPinAsync(RedisKey? routingKey)
    {
        try
        {
            _pinned = await _server.Pinned.RentAsync(Protocol, _database, routingKey, _closed);
        }
        catch (Exception e) when (IsPinnedFailure(e))
        {
            return $"ERR the proxy could not open a backend connection for this client ({e.Message})";
        }

        return _pinned is null
            ? $"ERR the proxy has no backend connection free for transactions, subscribers and blocking commands (MAX_PINNED_CONNECTIONS={_server.Pinned.Limit}); try again"
            : null;
    }

    /// <summary>Gives the pinned connection back: to the pool when it is as it was lent, else closed.</summary>
    private async ValueTask UnpinAsync(bool discard)
    {
        if (_pinned is not { } pinned)
        {
            return;
        }

        _pinned = null;
        if (discard)
        {
            await _server.Pinned.DiscardAsync(pinned);
        }
        else
        {
            _server.Pinned.Return(pinned);
        }
    }

    /// <summary>A call on the pinned connection of a transaction, bounded by BACKEND_TIMEOUT_MS as a forwarded command is.</summary>
    private async ValueTask<byte[]> CallPinnedAsync(PinnedConnection pinned, byte[] request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closed);
        timeout.CancelAfter(_server.Settings.BackendTimeout);
        try
        {
            return await pinned.CallAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!_closed.IsCancellationRequested)
        {
            throw new TimeoutException("the backend did not answer in time");
        }
    }

    private static bool IsPinnedFailure(Exception e) =>
        e is IOException or SocketException or TimeoutException or InvalidDataException or ObjectDisposedException
        || (e is OperationCanceledException);

    /// <summary>The key the command at <paramref name="argument"/> names, to route a pinned connection on a Redis Cluster; null for none.</summary>
    private RedisKey? RoutingKey(int argument) => argument > 0 && _arguments.Count > argument ? (RedisKey)_arguments[argument].ToArray() : (RedisKey?)null;

    /// <summary>
    /// A blocking command (BLPOP, XREAD BLOCK, WAIT…): a pinned connection waits with it, so no other client waits behind
    /// it, and goes back to the pool once it is answered. A client that leaves meanwhile leaves the connection closed.
    /// </summary>
    private async ValueTask BlockAsync(CommandInfo command)
    {
        var keys = new List<KeyPosition>();
        CommandKeys.TryFind(command, _arguments, keys);
        if (await TryPinAsync(keys.Count > 0 ? RoutingKey(keys[0].Index) : null) is { } refusal)
        {
            _writer.WriteError(refusal);
            return;
        }

        var pinned = _pinned!;
        var forwarded = ForwardedCommand.From(_arguments, command);
        var replies = command.RootName is "unsubscribe" or "punsubscribe" or "sunsubscribe" ? Math.Max(1, _arguments.Count - 1) : 1;
        try
        {
            if (command.RootName == "wait")
            {
                // WAIT counts replicas that have the connection's own writes; this connection wrote nothing. A write
                // first (one that changes no key) makes it count them for everything Redis has run until now, the
                // client's earlier writes, sent over the shared connection, included.
                await pinned.CallAsync(RespRequest.Encode("PUBLISH", "__redisproxy__:wait", ""), _closed);
            }

            await pinned.SendAsync(RespRequest.Encode(_arguments), _closed);
            for (var i = 0; i < replies; i++)
            {
                var reply = await pinned.ReadReplyAsync(_closed);
                _writer.WriteRaw(reply);
                _proxy.Forget(forwarded, refused: PinnedReplies.IsError(reply));
            }
        }
        catch (Exception e) when (IsPinnedFailure(e))
        {
            _proxy.Forget(forwarded, refused: false);
            await UnpinAsync(discard: true);
            if (!_closed.IsCancellationRequested)
            {
                _writer.WriteError($"ERR the backend connection of this command failed ({e.Message})");
            }

            return;
        }

        await UnpinAsync(discard: false);
    }

    /// <summary>
    /// The first SUBSCRIBE, PSUBSCRIBE or SSUBSCRIBE pins a connection for good: from then on every command goes to it
    /// without waiting for its reply, and everything Redis sends on it (replies and messages) is relayed to the client
    /// as it comes. The client leaving, RESET or the connection failing ends it.
    /// </summary>
    private async ValueTask SubscribeAsync(CommandInfo command)
    {
        var routingKey = command.RootName == "ssubscribe" ? RoutingKey(1) : null;
        if (await TryPinAsync(routingKey) is { } refusal)
        {
            _writer.WriteError(refusal);
            return;
        }

        _deadline.IdleExempt = true;
        _relayStop = CancellationTokenSource.CreateLinkedTokenSource(_closed);
        _relay = RelayAsync(_pinned!, _relayStop.Token);
        await SendAsSubscriberAsync(command);
    }

    /// <summary>A command of a subscriber: sent to its pinned connection; the reply comes through the relay.</summary>
    private async ValueTask AsSubscriberAsync(CommandInfo? command)
    {
        if (command is not null && _server.Policy.Refusal(command, _arguments) is { } refusal)
        {
            await WriteLockedAsync(writer => writer.WriteError(refusal));
            return;
        }

        await SendAsSubscriberAsync(command);
    }

    private async ValueTask SendAsSubscriberAsync(CommandInfo? command)
    {
        var forwarded = ForwardedCommand.From(_arguments, command);
        if (_writer.Protocol == 3 && command?.RootName is not ("subscribe" or "psubscribe" or "ssubscribe" or "unsubscribe" or "punsubscribe" or "sunsubscribe"))
        {
            // Its reply is the next frame that is not a push; what it may write is dropped from the cache then.
            lock (_awaitingReplies)
            {
                _awaitingReplies.Enqueue(forwarded.Effect == CacheEffect.None ? null : forwarded);
            }
        }

        try
        {
            await _pinned!.SendAsync(RespRequest.Encode(_arguments), _closed);
        }
        catch (Exception e) when (IsPinnedFailure(e))
        {
            _proxy.Forget(forwarded, refused: false);
            await EndSubscriberAsync();
        }
    }

    private async Task RelayAsync(PinnedConnection pinned, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var frame = await pinned.ReadReplyAsync(stop);
                await _output.WaitAsync(stop);
                try
                {
                    // Every frame that has arrived goes out in one flush: a burst of messages is not a write each.
                    do
                    {
                        Relay(frame);
                    }
                    while (pinned.TryReadBufferedReply(out frame));

                    await _writer.FlushAsync(stop);
                }
                finally
                {
                    _output.Release();
                }
            }
        }
        catch (Exception e) when (IsPinnedFailure(e))
        {
            // The subscription is gone with its connection; the client is disconnected so that it subscribes again, as
            // client libraries do after a lost connection.
            if (!stop.IsCancellationRequested)
            {
                _closing = true;
                _input.CancelPendingRead();
            }
        }
    }

    /// <summary>Writes one frame of the relay; a RESP3 reply (not a push) ends the oldest command awaiting one.</summary>
    private void Relay(byte[] frame)
    {
        if (!PinnedReplies.IsPush(frame) && _writer.Protocol == 3)
        {
            ForwardedCommand? answered;
            lock (_awaitingReplies)
            {
                _awaitingReplies.TryDequeue(out answered);
            }

            if (answered is not null)
            {
                _proxy.Forget(answered, refused: PinnedReplies.IsError(frame));
            }
        }

        _writer.WriteRaw(frame);
    }

    /// <summary>Ends a subscriber's pinned connection (RESET, QUIT, the client leaving, the connection failing).</summary>
    private async ValueTask EndSubscriberAsync()
    {
        if (_relay is null)
        {
            return;
        }

        await _relayStop!.CancelAsync();
        await UnpinAsync(discard: true);
        try
        {
            await _relay;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        _relayStop.Dispose();
        _relayStop = null;
        _relay = null;
        _deadline.IdleExempt = false;
        lock (_awaitingReplies)
        {
            _awaitingReplies.Clear();
        }
    }

    /// <summary>Writes (and flushes, when asked) under the output lock, which only matters while the relay runs.</summary>
    private async ValueTask WriteLockedAsync(Action<RespReplyWriter> write, bool flush = false)
    {
        await _output.WaitAsync(_closed);
        try
        {
            write(_writer);
            if (flush)
            {
                await _writer.FlushAsync(_closed);
            }
        }
        finally
        {
            _output.Release();
        }
    }

    /// <summary>A command of a client that holds a pinned connection (QUIT and RESET aside).</summary>
    private async ValueTask PinnedCommandAsync(RespCommand command)
    {
        if (command == RespCommand.Hello)
        {
            const string HelloRefused = "ERR HELLO is not supported by the proxy while a transaction or a subscription holds a backend connection";
            await WriteLockedAsync(writer => writer.WriteError(HelloRefused));
            return;
        }

        if (IsSubscriber)
        {
            var table = await _server.Commands.GetAsync(_closed);
            await AsSubscriberAsync(table.Find(_arguments));
            return;
        }

        if (command is RespCommand.Auth or RespCommand.Client)
        {
            // The client's own connection to the proxy: answered here, as outside a transaction.
            if (command == RespCommand.Auth)
            {
                Auth();
            }
            else
            {
                await ClientAsync();
            }

            return;
        }

        await InTransactionAsync(command);
    }

    private async ValueTask<System.IO.Pipelines.FlushResult> FlushLockedAsync()
    {
        await _output.WaitAsync(_closed);
        try
        {
            return await _writer.FlushAsync(_closed);
        }
        finally
        {
            _output.Release();
        }
    }

    /// <summary>Whatever the session still holds of the backend when it ends: closed, so Redis drops it (an open transaction is never executed).</summary>
    private async ValueTask ReleasePinnedAsync()
    {
        await EndSubscriberAsync();
        await UnpinAsync(discard: true);
    }
}
