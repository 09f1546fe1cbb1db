using RedisProxy.Api.Core;
using RedisProxy.Api.Failures;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Resp;

/// <summary>
/// GETs in a pipeline run together: a GET that has to wait for the backend does not hold up the commands behind it.
/// Its read is started, and the session goes on parsing; the replies are still written in command order. A GET behind
/// one still waiting queues its answer too (a hit costs nothing more); any other command first waits for every read
/// in flight to be answered, so it sees, and replies after, everything sent before it, as on Redis. So a client that
/// multiplexes many callers over one connection (StackExchange.Redis does) gets its misses read concurrently, not
/// one backend round trip at a time.
/// </summary>
internal sealed partial class RespSession
{
    /// <summary>
    /// The most GETs of one connection waiting on the backend at once; a longer pipeline waits for the oldest. Enough
    /// to fill the backend slots from one connection, few enough that one client's pipeline cannot fill the queue.
    /// </summary>
    private const int MaxReadsInFlight = 16;

    private readonly Queue<ReadInFlight> _readsInFlight = new();

    /// <summary>Whether this command can queue its reply behind the reads in flight: a GET that will be read, not refused.</summary>
    private bool JoinsReadsInFlight(RespCommand command) =>
        command == RespCommand.Get
        && _arguments.Count == 2
        && _authenticated
        && !IsKeyTooLong(1);

    /// <summary>A GET that finds the limit reached: the oldest read is answered first, then this one is started.</summary>
    private async ValueTask StartGetWhenRoomAsync()
    {
        // The key stays valid meanwhile: the frame's bytes are released only after the whole batch is answered.
        await AnswerOldestReadAsync();
        await GetAsync();
    }

    /// <summary>Writes the replies of every read in flight, in order, waiting for each.</summary>
    private async ValueTask AnswerReadsInFlightAsync()
    {
        while (_readsInFlight.Count > 0)
        {
            await AnswerOldestReadAsync();
        }
    }

    private async ValueTask AnswerOldestReadAsync()
    {
        var (pending, observed) = _readsInFlight.Dequeue();
        try
        {
            var read = await pending;
            WriteRead(read);
            End(observed, read.Source == ReadSource.Local ? CommandResult.Hit : CommandResult.Miss);
        }
        catch (ProxyFailureException failure)
        {
            WriteFailure(failure);
            End(observed, CommandResult.Error, failure);
        }
    }

    /// <summary>A GET whose reply waits its turn, and what telemetry observes of it until then.</summary>
    private readonly record struct ReadInFlight(ValueTask<ProxyRead> Read, ObservedCommand Observed);
}
