using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using RedisProxy.Api.Core;
using RedisProxy.Api.Failures;
using RedisProxy.Api.Resp.Parser;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Resp;

/// <summary>
/// One RESP connection: reads requests from the input pipe, parses every whole frame in what arrived, runs each
/// command in order and writes its reply (GETs that wait for the backend run together, their replies still in order:
/// see RespSession.PipelinedReads.cs), then flushes once for the batch. Commands live in the partial files
/// beside this one, by family; this file is the read loop and dispatch.
/// </summary>
internal sealed partial class RespSession : IDisposable
{
    // Frames smaller than this wait in the pipe; a partial frame past it moves to the assembler (see RespFrameAssembler).
    private const int AssembleThreshold = 256 * 1024;

    // A long pipelined batch is flushed on the way, so replies do not pile up in memory before the first is sent.
    private const int FlushThreshold = 64 * 1024;

    private readonly PipeReader _input;
    private readonly RespReplyWriter _writer;
    private readonly RespArguments _arguments = new();
    private readonly RespFrameAssembler _assembler = new();
    private readonly RespLimits _limits;
    private readonly CachingProxy _proxy;
    private readonly RespServerContext _server;
    private readonly CancellationToken _closed;
    private readonly RespReadDeadline _deadline;
    private byte[] _frameCopy = [];
    private long _neededBytes;
    private bool _closing;

    /// <param name="unreadBytesWaiting">Whether the client's bytes wait unread in its socket (see <see cref="RespReadDeadline"/>).</param>
    public RespSession(PipeReader input, PipeWriter output, long id, RespServerContext server, CancellationToken closed, Func<bool>? unreadBytesWaiting = null)
    {
        _input = input;
        _writer = new RespReplyWriter(output);
        _server = server;
        _proxy = server.Proxy;
        _limits = server.Limits;
        _closed = closed;
        _deadline = new RespReadDeadline(server.Time, server.Settings.RespIdleTimeout, server.Settings.RespFrameTimeout, input, unreadBytesWaiting);
        Id = id;
        _authenticated = !server.Password.IsRequired;
    }

    public long Id { get; }

    public async Task RunAsync()
    {
        // Bytes the last read left in the pipe: a later read holding no more than these brought nothing new.
        long leftInPipe = 0;
        while (true)
        {
            _deadline.Arm();
            var result = await _input.ReadAsync(_closed);
            if (result.IsCanceled && _deadline.HasPassed)
            {
                // Idle too long, or a command too slow to arrive: closed without a reply, as Redis closes idle clients.
                return;
            }

            var buffer = result.Buffer;
            var arrived = buffer.Length > leftInPipe;
            bool completed;
            bool partialLeft;
            if (_assembler.IsEmpty)
            {
                var consumed = await ProcessAsync(buffer);
                var rest = buffer.Slice(consumed);
                completed = consumed > 0;
                partialLeft = rest.Length > 0;
                if (!_closing && rest.Length >= AssembleThreshold)
                {
                    _assembler.Append(rest);
                    _input.AdvanceTo(buffer.End);
                    leftInPipe = 0;
                }
                else
                {
                    _input.AdvanceTo(rest.Start, buffer.End);
                    leftInPipe = rest.Length;
                }
            }
            else
            {
                _assembler.Append(buffer);
                _input.AdvanceTo(buffer.End);
                leftInPipe = 0;
                completed = false;
                if (_assembler.Length >= _neededBytes)
                {
                    // A frame this large (a SET of megabytes) is copied into the backend and the cache; that runs on
                    // the thread pool, not on the event thread that serves the other connections.
                    await Task.Yield();
                    var consumed = await ProcessAsync(new ReadOnlySequence<byte>(_assembler.Data));
                    _assembler.Discard((int)consumed);
                    completed = consumed > 0;
                }

                partialLeft = !_assembler.IsEmpty;
            }

            if (arrived)
            {
                _deadline.Received(completed, partialLeft);
            }

            var flush = IsSubscriber ? await FlushLockedAsync() : await _writer.FlushAsync(_closed);
            if (_closing || result.IsCompleted || flush.IsCompleted)
            {
                // A request cut short by a vanished client is simply dropped with the connection.
                return;
            }
        }
    }

    /// <summary>Gives back (closed) whatever backend connection the client still held; called once the connection is over.</summary>
    public ValueTask EndAsync() => ReleasePinnedAsync();

    public void Dispose()
    {
        _output.Dispose();
        _relayStop?.Dispose();
        _deadline.Dispose();
        _assembler.Dispose();
        if (_frameCopy.Length > 0)
        {
            RespBuffers.Return(_frameCopy);
            _frameCopy = [];
        }
    }

    /// <summary>Runs every whole frame at the start of <paramref name="bytes"/>; returns how many bytes they took.</summary>
    private async ValueTask<long> ProcessAsync(ReadOnlySequence<byte> bytes)
    {
        long consumed = 0;
        while (!_closing)
        {
            var remaining = bytes.Slice(consumed);
            var status = RespParser.Parse(remaining, _limits, _arguments, out var length, out var error);
            if (status == RespParseStatus.Incomplete)
            {
                _neededBytes = length;
                break;
            }

            if (status == RespParseStatus.ProtocolError)
            {
                // As Redis: say what was wrong, then close; the stream cannot be resynchronised.
                await AnswerEverythingInFlightAsync();
                _writer.WriteProtocolError(error!);
                _closing = true;
                break;
            }

            _arguments.Bind(Contiguous(remaining.Slice(0, length)));
            consumed += length;
            if (_arguments.Count > 0)
            {
                await ExecuteAsync();
            }

            if (_writer.UnflushedBytes > FlushThreshold && !IsSubscriber)
            {
                await _writer.FlushAsync(_closed);
            }
        }

        // Every reply of the batch is written before the flush that follows.
        if (_readsInFlight.Count > 0 || _writesInFlight.Count > 0)
        {
            await AnswerEverythingInFlightAsync();
        }

        return consumed;
    }

    /// <summary>Writes the reply of every read and write still in flight (only one kind is, at any time), in order.</summary>
    private async ValueTask AnswerEverythingInFlightAsync()
    {
        await AnswerReadsInFlightAsync();
        await AnswerWritesInFlightAsync();
    }

    /// <summary>The frame's own memory when it lies in one segment (the usual case), else a copy in a reused buffer.</summary>
    private ReadOnlyMemory<byte> Contiguous(ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            return frame.First;
        }

        if (_frameCopy.Length < frame.Length)
        {
            if (_frameCopy.Length > 0)
            {
                RespBuffers.Return(_frameCopy);
            }

            _frameCopy = RespBuffers.Rent((int)frame.Length);
        }

        frame.CopyTo(_frameCopy);
        return _frameCopy.AsMemory(0, (int)frame.Length);
    }

    private ValueTask ExecuteAsync()
    {
        var command = Classify(RespCommandTable.Identify(_arguments[0]));
        if (command == RespCommand.Forwarded && IsCrossProtocolRequest())
        {
            // As Redis: an HTTP request here is likely a browser tricked into cross-protocol scripting. Close silently.
            _closing = true;
            return ValueTask.CompletedTask;
        }

        return _server.Telemetry.IsListenedTo ? ExecuteObservedAsync(command) : DispatchAsync(command);
    }

    /// <summary>Runs the command with its span and duration (see RespSession.Telemetry.cs).</summary>
    private async ValueTask ExecuteObservedAsync(RespCommand command)
    {
        _observed = Observe(command);
        _errorRepliesBefore = _writer.ErrorReplies;
        try
        {
            await DispatchAsync(command);
        }
        catch (Exception e)
        {
            EndObserved(CommandResult.Error, e);
            throw;
        }

        EndObserved(_writer.ErrorReplies > _errorRepliesBefore ? CommandResult.Error : CommandResult.Ok);
    }

    private async ValueTask DispatchAsync(RespCommand command)
    {
        if (_pinned is not null && command is not (RespCommand.Quit or RespCommand.Reset))
        {
            // A transaction or a subscriber holds a backend connection: its commands go there.
            await PinnedCommandAsync(command);
            return;
        }

        // Whether the command is refused, and what the backend says of a forwarded one: they decide whether it may
        // queue behind the commands in flight.
        var denied = _server.Policy.DeniedByName(_arguments);
        var plan = denied is null && command == RespCommand.Forwarded && _authenticated && !_inRefusedTransaction ? await PlanForwardAsync() : default;
        if (_observed.IsObserved && plan.Command is { } known && _observed.Name != known.OperationName)
        {
            _observed = CommandTelemetry.Rename(_observed, known.OperationName);
        }

        if (_readsInFlight.Count > 0 && (denied is not null || !JoinsReadsInFlight(command)))
        {
            // Replies go out in command order, and a write must not overtake the reads sent before it.
            await AnswerReadsInFlightAsync();
        }

        if (_writesInFlight.Count > 0 && (denied is not null || !JoinsWritesInFlight(command, plan)))
        {
            // The same for writes: whatever follows them sees them, and replies after them.
            await AnswerWritesInFlightAsync();
        }

        // The replies written so far were those of the commands in flight; this command's own come next.
        _errorRepliesBefore = _writer.ErrorReplies;

        if (_inRefusedTransaction && AnswerInRefusedTransaction(command))
        {
            return;
        }

        if (denied is not null)
        {
            _writer.WriteError(denied);
            return;
        }

        var (min, max) = RespCommandTable.Arity(command);
        if (_arguments.Count < min || _arguments.Count > max)
        {
            _writer.WriteError($"ERR wrong number of arguments for '{RespCommandTable.NameOf(command)}' command");
            return;
        }

        if (!_authenticated && !RespCommandTable.AllowedBeforeAuth(command))
        {
            _writer.WriteRaw(RespReplies.NoAuth);
            return;
        }

        try
        {
            switch (command)
            {
                case RespCommand.Forwarded:
                    await ForwardAsync(plan);
                    break;
                case RespCommand.Get:
                    await GetAsync();
                    break;
                case RespCommand.MGet:
                    await MGetAsync();
                    break;
                case RespCommand.Exists:
                    await ExistsAsync();
                    break;
                case RespCommand.Set:
                    await SetAsync();
                    break;
                case RespCommand.Ping:
                    Ping();
                    break;
                case RespCommand.Echo:
                    _writer.WriteBulk(_arguments[1]);
                    break;
                case RespCommand.Hello:
                    Hello();
                    break;
                case RespCommand.Auth:
                    Auth();
                    break;
                case RespCommand.Select:
                    Select();
                    break;
                case RespCommand.Quit:
                    await ReleasePinnedAsync();
                    _writer.WriteRaw(RespReplies.Ok);
                    _closing = true;
                    break;
                case RespCommand.Reset:
                    await ReleasePinnedAsync();
                    EndTransaction();
                    Reset();
                    break;
                case RespCommand.Client:
                    await ClientAsync();
                    break;
                case RespCommand.Info:
                    await InfoAsync();
                    break;
                case RespCommand.Config:
                    Config();
                    break;
                case RespCommand.Multi or RespCommand.Exec or RespCommand.Discard or RespCommand.Watch or RespCommand.Unwatch:
                    await TransactionAsync(command);
                    break;
                default:
                    throw new InvalidOperationException($"No handler for {command}.");
            }
        }
        catch (ProxyFailureException failure)
        {
            WriteFailure(failure);
            EndObserved(CommandResult.Error, failure);
        }
    }

    /// <summary>
    /// The cached commands in forms the cache does not serve are forwarded as they are: a key longer than MAX_KEY_BYTES
    /// (not cached, so not limited), and SET with options other than one EX or PX.
    /// </summary>
    private RespCommand Classify(RespCommand command) => command switch
    {
        RespCommand.Get when _arguments.Count == 2 && IsKeyTooLong(1) => RespCommand.Forwarded,
        RespCommand.MGet or RespCommand.Exists when _arguments.Count >= 2 && AnyKeyTooLong(1, _arguments.Count - 1) => RespCommand.Forwarded,
        RespCommand.Set when _arguments.Count >= 3 && (IsKeyTooLong(1) || !TryReadCachedSet(out _)) => RespCommand.Forwarded,
        _ => command,
    };

    /// <summary>The connection's protocol, which its forwarded commands' replies must come in.</summary>
    private RedisProtocol Protocol => _writer.Protocol == 3 ? RedisProtocol.Resp3 : RedisProtocol.Resp2;

    private bool IsCrossProtocolRequest() =>
        Ascii.EqualsIgnoreCase(_arguments[0], "POST"u8) || Ascii.EqualsIgnoreCase(_arguments[0], "HOST:"u8);

    private void WriteFailure(ProxyFailureException failure)
    {
        if (failure is WrongTypeException)
        {
            _writer.WriteRaw(RespReplies.WrongType);
            return;
        }

        _writer.WriteError($"ERR {failure.Message}");
    }

    /// <summary>A HELP subcommand's reply: one simple string a line, as Redis writes it.</summary>
    private void WriteHelp(IReadOnlyList<string> lines)
    {
        _writer.WriteArrayHeader(lines.Count);
        foreach (var line in lines)
        {
            _writer.WriteSimpleString(line);
        }
    }
}
