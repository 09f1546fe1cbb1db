using System.Buffers.Text;
using System.Text;
using RedisProxy.Api.Core;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Resp;

/// <summary>
/// The cached commands: GET, MGET and EXISTS read through the shared cache, SET key value [EX|PX n] writes through
/// it, exactly like the HTTP door. Their other forms are forwarded (see <see cref="Classify"/>).
/// </summary>
internal sealed partial class RespSession
{
    /// <summary>The longest EX or PX a SET may carry and still be cached; beyond, Redis judges it (it refuses overflows).</summary>
    private const long LongestCachedSetMilliseconds = 1_000_000_000_000;

    private ValueTask GetAsync()
    {
        if (_readsInFlight.Count == MaxReadsInFlight)
        {
            return StartGetWhenRoomAsync();
        }

        var key = _arguments.Memory(1);
        if (_proxy.TryGetCached(key.Span, _database, FrontDoor.Resp, out var hit))
        {
            if (_readsInFlight.Count == 0)
            {
                // The hit path: answered synchronously from the cache, the value copied once into the pipe.
                WriteRead(hit);
                EndObserved(CommandResult.Hit);
            }
            else
            {
                // A hit behind a miss: answered in turn (see RespSession.PipelinedReads.cs).
                _readsInFlight.Enqueue(new ReadInFlight(ValueTask.FromResult(hit), TakeObserved()));
            }

            return ValueTask.CompletedTask;
        }

        // A miss: its span (when traced) opens before the backend is asked, so the backend call is its child.
        if (_observed.IsObserved)
        {
            _observed = CommandTelemetry.Miss(_observed);
        }

        _readsInFlight.Enqueue(new ReadInFlight(_proxy.ReadThroughAsync(key, _database, FrontDoor.Resp, _closed), TakeObserved()));
        return ValueTask.CompletedTask;
    }

    private async ValueTask MGetAsync()
    {
        var reads = await _proxy.GetManyAsync(KeyArguments(), _database, FrontDoor.Resp, _closed);
        _writer.WriteArrayHeader(reads.Length);
        foreach (var read in reads)
        {
            WriteRead(read);
        }
    }

    private async ValueTask ExistsAsync() =>
        _writer.WriteInteger(await _proxy.CountExistingAsync(KeyArguments(), _database, FrontDoor.Resp, _closed));

    /// <summary>Every argument after the command name, as keys; slices of the receive buffer, valid until the reply.</summary>
    private ReadOnlyMemory<byte>[] KeyArguments()
    {
        var keys = new ReadOnlyMemory<byte>[_arguments.Count - 1];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = _arguments.Memory(i + 1);
        }

        return keys;
    }

    private async ValueTask SetAsync()
    {
        TryReadCachedSet(out var timeToLive);
        var started = await TryStartWriteAsync(session =>
            session._proxy.TryStartSet(
                session._arguments.Memory(1), session._database, session._arguments.Memory(2), timeToLive, session.Protocol, FrontDoor.Resp, session._closed) is { } set
                ? new PendingWrite(set, null)
                : null);
        if (!started)
        {
            await _proxy.SetAsync(_arguments.Memory(1), _database, _arguments.Memory(2), timeToLive, FrontDoor.Resp, _closed, Protocol);
            _writer.WriteRaw(RespReplies.Ok);
        }
    }

    /// <summary>
    /// Whether this SET is one the cache writes through: <c>SET key value</c>, or with one EX or PX of a plain positive
    /// integer (its time to live). Every other form (NX, XX, GET, KEEPTTL, EXAT, PXAT, a bad number) is forwarded,
    /// so Redis answers it, errors included, in its own words.
    /// </summary>
    private bool TryReadCachedSet(out TimeSpan timeToLive)
    {
        timeToLive = Timeout.InfiniteTimeSpan;
        if (_arguments.Count == 3)
        {
            return true;
        }

        if (_arguments.Count != 5 || !Utf8Parser.TryParse(_arguments[4], out long amount, out var used) || used != _arguments[4].Length || amount <= 0)
        {
            return false;
        }

        var unit = _arguments[3];
        var milliseconds = Ascii.EqualsIgnoreCase(unit, "EX"u8) ? amount * 1000L
            : Ascii.EqualsIgnoreCase(unit, "PX"u8) ? amount
            : 0;
        if (milliseconds <= 0 || amount > LongestCachedSetMilliseconds || milliseconds > LongestCachedSetMilliseconds)
        {
            return false;
        }

        timeToLive = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    private void WriteRead(ProxyRead read)
    {
        if (read.Found)
        {
            _writer.WriteBulk(read.Value.Span);
        }
        else
        {
            _writer.WriteNull();
        }
    }

    private bool AnyKeyTooLong(int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            if (IsKeyTooLong(i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Keys longer than MAX_KEY_BYTES are not cached; their commands are forwarded.</summary>
    private bool IsKeyTooLong(int argument) => _arguments.SliceOf(argument).Length > _server.Settings.MaxKeyBytes;
}
