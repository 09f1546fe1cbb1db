using RedisProxy.Api.Core;
using RedisProxy.Api.Failures;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Writes in a pipeline run together, as GETs do (see RespSession.PipelinedReads.cs): a SET or DEL that finds a backend
/// slot free is sent at once, and the session goes on parsing; the replies are still written in command order. Writes
/// reach Redis in command order, because each is sent before the next command is parsed, and one that finds every slot
/// taken first waits for those in flight. Any other command, a GET included, first waits for every write in flight, so
/// it sees them all, as on Redis. So a bulk load (redis-cli --pipe) is not one backend round trip per key.
/// </summary>
internal sealed partial class RespSession
{
    /// <summary>The most writes of one connection waiting on the backend at once; a longer pipeline waits for the oldest.</summary>
    private const int MaxWritesInFlight = 16;

    private readonly Queue<PendingWrite> _writesInFlight = new();

    /// <summary>Whether this command can queue its reply behind the writes in flight: a SET or DEL that will be sent, not refused.</summary>
    private bool JoinsWritesInFlight(RespCommand command) =>
        _authenticated
        && command switch
        {
            RespCommand.Set => _arguments.Count == 3 && !IsKeyTooLong(1),
            RespCommand.Del or RespCommand.Unlink => _arguments.Count >= 2 && !AnyKeyTooLong(1, _arguments.Count - 1),
            _ => false,
        };

    /// <summary>
    /// Sends the write now if a backend slot is free, its reply to follow in turn; else answers the writes in flight
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
            _writesInFlight.Enqueue(write);
            return true;
        }

        // Every slot is taken: the writes sent before this one are answered first, so it cannot reach Redis before them.
        await AnswerWritesInFlightAsync();
        return false;
    }

    /// <summary>Writes the replies of every write in flight, in order, waiting for each.</summary>
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
            }
            else
            {
                _writer.WriteInteger(await write.Delete!);
            }
        }
        catch (ProxyFailureException failure)
        {
            WriteFailure(failure);
        }
    }

    /// <summary>A SET (<see cref="Set"/>) or a DEL (<see cref="Delete"/>) sent to the backend, its reply still to write.</summary>
    private readonly record struct PendingWrite(Task? Set, Task<long>? Delete);
}
