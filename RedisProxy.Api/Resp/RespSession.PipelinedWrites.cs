using RedisProxy.Api.Backend;
using RedisProxy.Api.Failures;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Writes and forwarded commands in a pipeline run together, as GETs do (see RespSession.PipelinedReads.cs): one that
/// finds a backend slot free is sent at once, and the session goes on parsing; the replies are still written in
/// command order. They reach Redis in command order, because each is sent before the next command is parsed, over the
/// connection of the client's protocol, and one that finds every slot taken first waits for those in flight. Any other
/// command, a cached GET included, first waits for every command in flight, so it sees them all, as on Redis. So a
/// bulk load (redis-cli --pipe) is not one backend round trip per key.
/// </summary>
internal sealed partial class RespSession
{
    /// <summary>The most commands of one connection waiting on the backend at once; a longer pipeline waits for the oldest.</summary>
    private const int MaxWritesInFlight = 16;

    private readonly Queue<PendingWrite> _writesInFlight = new();

    /// <summary>Whether this command can queue its reply behind the commands in flight: a cached SET, or a forwarded command that will be sent.</summary>
    private bool JoinsWritesInFlight(RespCommand command, ForwardPlan plan) =>
        _authenticated
        && !_inRefusedTransaction
        && command switch
        {
            RespCommand.Set => true,
            RespCommand.Forwarded => plan.IsSent,
            _ => false,
        };

    /// <summary>
    /// Sends the command now if a backend slot is free, its reply to follow in turn; else answers the commands in flight
    /// first and returns false, for the caller to wait for a slot itself.
    /// </summary>
    private async ValueTask<bool> TryStartWriteAsync(Func<RespSession, PendingWrite?> start)
    {
        if (_writesInFlight.Count == MaxWritesInFlight)
        {
            await AnswerOldestWriteAsync();
        }

        if (start(this) is { } write)
        {
            _writesInFlight.Enqueue(write with { Observed = TakeObserved() });
            return true;
        }

        // Every slot is taken: the commands sent before this one are answered first, so it cannot reach Redis before them.
        await AnswerWritesInFlightAsync();
        return false;
    }

    /// <summary>Writes the replies of every command in flight, in order, waiting for each.</summary>
    private async ValueTask AnswerWritesInFlightAsync()
    {
        while (_writesInFlight.Count > 0)
        {
            await AnswerOldestWriteAsync();
        }
    }

    private async ValueTask AnswerOldestWriteAsync()
    {
        var write = _writesInFlight.Dequeue();
        try
        {
            if (write.Set is not null)
            {
                await write.Set;
                _writer.WriteRaw(RespReplies.Ok);
                End(write.Observed, CommandResult.Ok);
            }
            else
            {
                using var reply = await write.Forwarded!;
                var errorRepliesBefore = _writer.ErrorReplies;
                _writer.WriteForwarded(reply);
                End(write.Observed, _writer.ErrorReplies > errorRepliesBefore ? CommandResult.Error : CommandResult.Ok);
            }
        }
        catch (ProxyFailureException failure)
        {
            WriteFailure(failure);
            End(write.Observed, CommandResult.Error, failure);
        }
    }

    /// <summary>
    /// A cached SET (<see cref="Set"/>) or a forwarded command (<see cref="Forwarded"/>) sent to the backend, its reply
    /// still to write, and what telemetry observes of it until then.
    /// </summary>
    private readonly record struct PendingWrite(Task? Set, Task<ForwardedReply>? Forwarded, ObservedCommand Observed = default);
}
