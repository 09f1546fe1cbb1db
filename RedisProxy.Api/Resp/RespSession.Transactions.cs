using RedisProxy.Api.Backend.Pinned;
using RedisProxy.Api.Core;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Transactions, on a pinned connection from WATCH or MULTI to their end: every command of the client goes to that
/// connection (reads too, not the cache: a watched or queued read must see what Redis holds), and Redis answers as it
/// does any client, EXECABORT, per-command errors and WATCH conflicts included. The keys queued commands write are
/// dropped from the cache when EXEC has run. When no connection can be pinned, the MULTI is refused, and so is every
/// command up to its EXEC or DISCARD, so nothing of the transaction reaches Redis.
/// </summary>
internal sealed partial class RespSession
{
    private bool _watching;
    private bool _inTransaction;

    /// <summary>A command of the open transaction was refused by the proxy: EXEC will discard it, as Redis does after a queuing error.</summary>
    private bool _transactionPoisoned;

    /// <summary>What the queued commands may change, applied once EXEC has run.</summary>
    private readonly List<ForwardedCommand> _queuedWrites = [];

    /// <summary>The database a queued SELECT moves the connection to when EXEC runs.</summary>
    private int? _databaseAfterExec;

    /// <summary>A MULTI the proxy could not serve: everything up to EXEC or DISCARD is refused.</summary>
    private bool _inRefusedTransaction;

    /// <summary>Whether the session holds a pinned connection for a transaction.</summary>
    private bool InPinnedTransaction => _watching || _inTransaction;

    /// <summary>MULTI, EXEC, DISCARD, WATCH and UNWATCH while no transaction holds a connection.</summary>
    private async ValueTask TransactionAsync(RespCommand command)
    {
        switch (command)
        {
            case RespCommand.Multi or RespCommand.Watch:
                if (await TryPinAsync(RoutingKey(command == RespCommand.Watch ? 1 : 0)) is { } refusal)
                {
                    _inRefusedTransaction = command == RespCommand.Multi;
                    _writer.WriteError(refusal);
                    return;
                }

                await InTransactionAsync(command);
                break;
            case RespCommand.Exec:
                _writer.WriteRaw(RespReplies.ExecWithoutMulti);
                break;
            case RespCommand.Discard:
                _writer.WriteRaw(RespReplies.DiscardWithoutMulti);
                break;
            default:
                // UNWATCH: nothing is watched.
                _writer.WriteRaw(RespReplies.Ok);
                break;
        }
    }

    /// <summary>A command of a client whose transaction holds a pinned connection: sent there, answered by Redis.</summary>
    private async ValueTask InTransactionAsync(RespCommand command)
    {
        var pinned = _pinned!;
        var table = await _server.Commands.GetAsync(_closed);
        var info = table.Find(_arguments);
        if (info is not null && _server.Policy.Refusal(info, _arguments) is { } refusal)
        {
            _transactionPoisoned |= _inTransaction;
            _writer.WriteError(refusal);
            return;
        }

        if (command == RespCommand.Exec && _transactionPoisoned)
        {
            await CallPinnedAsync(pinned, RespRequest.Encode("DISCARD"));
            _writer.WriteRaw(RespReplies.ExecAbortQueued);
            EndTransaction();
            return;
        }

        var forwarded = ForwardedCommand.From(_arguments, info);
        byte[] reply;
        try
        {
            reply = await CallPinnedAsync(pinned, RespRequest.Encode(_arguments));
        }
        catch (Exception e) when (IsPinnedFailure(e))
        {
            // Redis discards an open transaction with its connection; an EXEC on its way may have run.
            if (command == RespCommand.Exec)
            {
                ForgetQueuedWrites();
            }

            _proxy.Forget(forwarded, refused: false);
            _writer.WriteError($"ERR the backend connection of this transaction failed ({e.Message}); the transaction is discarded");
            await UnpinAsync(discard: true);
            EndTransaction();
            return;
        }

        _writer.WriteRaw(reply);
        Follow(command, forwarded, reply);
        if (!InPinnedTransaction)
        {
            await UnpinAsync(discard: false);
        }
    }

    /// <summary>Follows the transaction's state from Redis's replies, and drops from the cache what ran.</summary>
    private void Follow(RespCommand command, ForwardedCommand forwarded, byte[] reply)
    {
        var ok = PinnedReplies.IsOk(reply);
        switch (command)
        {
            case RespCommand.Multi when ok && !_inTransaction:
                _inTransaction = true;
                _queuedWrites.Clear();
                _databaseAfterExec = null;
                return;
            case RespCommand.Exec when _inTransaction:
                if (PinnedReplies.IsArray(reply))
                {
                    ForgetQueuedWrites();
                    if (_databaseAfterExec is { } database)
                    {
                        _database = database;
                        _pinned!.Moved(database);
                    }
                }

                EndTransaction();
                return;
            case RespCommand.Discard when ok:
                EndTransaction();
                return;
            case RespCommand.Watch when ok && !_inTransaction:
                _watching = true;
                return;
            case RespCommand.Unwatch when ok && !_inTransaction:
                _watching = false;
                return;
        }

        if (_inTransaction)
        {
            // A command refused while queuing is not kept; whether it makes EXEC abort (a wrong arity does, a nested
            // MULTI does not) is Redis's to say, and an aborted EXEC applies nothing here either.
            if (PinnedReplies.IsQueued(reply))
            {
                _queuedWrites.Add(forwarded);
                if (command == RespCommand.Select && TryParseInteger(_arguments[1], out var queuedDatabase))
                {
                    _databaseAfterExec = (int)queuedDatabase;
                }
            }

            return;
        }

        if (command == RespCommand.Select && ok && TryParseInteger(_arguments[1], out var selected))
        {
            _database = (int)selected;
            _pinned!.Moved(_database);
        }

        _proxy.Forget(forwarded, refused: PinnedReplies.IsError(reply));
    }

    private void ForgetQueuedWrites()
    {
        foreach (var queued in _queuedWrites)
        {
            _proxy.Forget(queued, refused: false);
        }

        _queuedWrites.Clear();
    }

    private void EndTransaction()
    {
        _inTransaction = false;
        _watching = false;
        _transactionPoisoned = false;
        _databaseAfterExec = null;
        _queuedWrites.Clear();
    }

    /// <summary>Answers a command sent inside a refused transaction; false for QUIT and RESET, which end it and run.</summary>
    private bool AnswerInRefusedTransaction(RespCommand command)
    {
        switch (command)
        {
            case RespCommand.Exec:
                _inRefusedTransaction = false;
                _writer.WriteRaw(RespReplies.ExecAbortRefused);
                return true;
            case RespCommand.Discard:
                _inRefusedTransaction = false;
                _writer.WriteRaw(RespReplies.Ok);
                return true;
            case RespCommand.Multi:
                _writer.WriteRaw(RespReplies.MultiNested);
                return true;
            case RespCommand.Quit or RespCommand.Reset:
                _inRefusedTransaction = false;
                return false;
            default:
                _writer.WriteRaw(RespReplies.InRefusedTransaction);
                return true;
        }
    }
}
