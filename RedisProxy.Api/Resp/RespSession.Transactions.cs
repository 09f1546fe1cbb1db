namespace RedisProxy.Api.Resp;

/// <summary>
/// Transactions are not forwarded yet. So that nothing of one half-runs, a refused MULTI opens a refused transaction:
/// every command up to its EXEC or DISCARD is refused too, EXEC answers EXECABORT, and nothing of it reaches Redis.
/// </summary>
internal sealed partial class RespSession
{
    private bool _inRefusedTransaction;

    private void Transaction(RespCommand command)
    {
        switch (command)
        {
            case RespCommand.Multi:
                _inRefusedTransaction = true;
                _writer.WriteRaw(RespReplies.MultiRefused);
                break;
            case RespCommand.Exec:
                _writer.WriteRaw(RespReplies.ExecWithoutMulti);
                break;
            case RespCommand.Discard:
                _writer.WriteRaw(RespReplies.DiscardWithoutMulti);
                break;
            case RespCommand.Watch:
                _writer.WriteRaw(RespReplies.WatchRefused);
                break;
            default:
                // UNWATCH: no key is ever watched here.
                _writer.WriteRaw(RespReplies.Ok);
                break;
        }
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
