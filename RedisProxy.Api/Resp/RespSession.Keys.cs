using RedisProxy.Api.Core;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Resp;

/// <summary>The key commands: reads through the shared cache, writes through to Redis, exactly like the HTTP door.</summary>
internal sealed partial class RespSession
{
    private ValueTask GetAsync()
    {
        if (!KeysFit(1, 1))
        {
            return ValueTask.CompletedTask;
        }

        if (_readsInFlight.Count == MaxReadsInFlight)
        {
            return StartGetWhenRoomAsync();
        }

        var pending = _proxy.GetAsync(_arguments.Memory(1), _database, FrontDoor.Resp, _closed);
        if (pending.IsCompletedSuccessfully && _readsInFlight.Count == 0)
        {
            // The hit path: answered synchronously from the cache, the value copied once into the pipe.
            WriteRead(pending.Result);
        }
        else
        {
            // A miss, or a hit behind one: answered in turn (see RespSession.PipelinedReads.cs).
            _readsInFlight.Enqueue(pending);
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask MGetAsync()
    {
        if (!KeysFit(1, _arguments.Count - 1))
        {
            return;
        }

        var reads = await _proxy.GetManyAsync(KeyArguments(), _database, FrontDoor.Resp, _closed);
        _writer.WriteArrayHeader(reads.Length);
        foreach (var read in reads)
        {
            WriteRead(read);
        }
    }

    private async ValueTask ExistsAsync()
    {
        if (!KeysFit(1, _arguments.Count - 1))
        {
            return;
        }

        // Read through, so the answer is Redis's and the values are cached for the GET that usually follows.
        _writer.WriteInteger(await _proxy.CountExistingAsync(KeyArguments(), _database, FrontDoor.Resp, _closed));
    }

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
        if (_arguments.Count != 3)
        {
            _writer.WriteRaw(RespReplies.PlainSetOnly);
            return;
        }

        if (!KeysFit(1, 1))
        {
            return;
        }

        var started = await TryStartWriteAsync(static session =>
            session._proxy.TryStartSet(session._arguments.Memory(1), session._database, session._arguments.Memory(2), Timeout.InfiniteTimeSpan, FrontDoor.Resp, session._closed) is { } set
                ? new PendingWrite(set, null)
                : null);
        if (!started)
        {
            await _proxy.SetAsync(_arguments.Memory(1), _database, _arguments.Memory(2), Timeout.InfiniteTimeSpan, FrontDoor.Resp, _closed);
            _writer.WriteRaw(RespReplies.Ok);
        }
    }

    private async ValueTask DelAsync()
    {
        if (!KeysFit(1, _arguments.Count - 1))
        {
            return;
        }

        var keys = new byte[_arguments.Count - 1][];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = _arguments[i + 1].ToArray();
        }

        var started = await TryStartWriteAsync(session =>
            session._proxy.TryStartDelete(keys, session._database, FrontDoor.Resp, session._closed) is { } delete ? new PendingWrite(null, delete) : null);
        if (!started)
        {
            _writer.WriteInteger(await _proxy.DeleteAsync(keys, _database, FrontDoor.Resp, _closed));
        }
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

    /// <summary>MAX_KEY_BYTES holds on this door as on HTTP; a longer key is refused before the backend sees it.</summary>
    private bool KeysFit(int first, int count)
    {
        if (AnyKeyTooLong(first, count))
        {
            _writer.WriteError($"ERR key longer than {_server.Settings.MaxKeyBytes} bytes (MAX_KEY_BYTES)");
            return false;
        }

        return true;
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

    private bool IsKeyTooLong(int argument) => _arguments.SliceOf(argument).Length > _server.Settings.MaxKeyBytes;
}
