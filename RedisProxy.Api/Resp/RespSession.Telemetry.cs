using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Resp;

/// <summary>
/// What telemetry sees of each command (see <see cref="CommandTelemetry"/>): observed from its arrival until its reply
/// is written. A command whose reply waits in a pipeline takes its observation along into the queue.
/// </summary>
internal sealed partial class RespSession
{
    /// <summary>The command being run, until its reply is written or it joins the commands in flight.</summary>
    private ObservedCommand _observed;

    /// <summary>How many error replies had been written when the running command's own reply began.</summary>
    private long _errorRepliesBefore;

    private ObservedCommand Observe(RespCommand command)
    {
        var name = OperationName(command);
        // A cached GET's span waits to learn hit or miss; in a transaction the GET goes to Redis like any command.
        return command == RespCommand.Get && _pinned is null ? _server.Telemetry.StartRead(name) : _server.Telemetry.Start(name);
    }

    private ObservedCommand TakeObserved()
    {
        var observed = _observed;
        _observed = default;
        return observed;
    }

    private void EndObserved(CommandResult result, Exception? failure = null) => End(TakeObserved(), result, failure);

    private void End(ObservedCommand observed, CommandResult result, Exception? failure = null) =>
        _server.Telemetry.End(observed, result, failure);

    /// <summary>The name spans and the histogram give the command: Redis's, upper-case; <c>_OTHER</c> for one the backend does not know.</summary>
    private string OperationName(RespCommand command) =>
        command != RespCommand.Forwarded ? RespCommandTable.OperationNameOf(command)
        : _server.Commands.Loaded?.Find(_arguments)?.OperationName ?? "_OTHER";
}
