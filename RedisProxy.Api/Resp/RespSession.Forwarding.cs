using RedisProxy.Api.Commands;
using RedisProxy.Api.Core;
using RedisProxy.Api.Failures;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Every command the proxy does not answer itself goes to the backend as the client sent it, in the client's protocol,
/// and its reply comes back byte for byte; the core drops from the cache whatever it may change before the reply is
/// written. Refused: admin commands (unless allowed), and what cannot share a backend connection (see <see cref="CommandPolicy"/>).
/// </summary>
internal sealed partial class RespSession
{
    private async ValueTask<ForwardPlan> PlanForwardAsync()
    {
        CommandTable table;
        try
        {
            var loading = _server.Commands.GetAsync(_closed);
            table = loading.IsCompletedSuccessfully ? loading.Result : await loading;
        }
        catch (ProxyFailureException failure)
        {
            return new ForwardPlan(null, null, failure);
        }

        var command = table.Find(_arguments);
        return new ForwardPlan(command, command is null ? null : _server.Policy.Refusal(command, _arguments), null);
    }

    private async ValueTask ForwardAsync(ForwardPlan plan)
    {
        if (plan.Failure is not null)
        {
            WriteFailure(plan.Failure);
            return;
        }

        if (plan.Refusal is not null)
        {
            _writer.WriteError(plan.Refusal);
            return;
        }

        var command = ForwardedCommand.From(_arguments, plan.Command);
        var started = await TryStartWriteAsync(session =>
            session._proxy.TryStartForward(command, session._database, session.Protocol, session._closed) is { } forwarded
                ? new PendingWrite(null, forwarded)
                : null);
        if (!started)
        {
            using var reply = await _proxy.ForwardAsync(command, _database, Protocol, _closed);
            _writer.WriteForwarded(reply);
        }
    }

    /// <summary>
    /// How a forwarded command goes: its entry in the backend's table (null for a command the backend does not know,
    /// which is forwarded for Redis to refuse in its own words), or why the proxy refuses it, or why it could not tell.
    /// </summary>
    private readonly record struct ForwardPlan(CommandInfo? Command, string? Refusal, ProxyFailureException? Failure)
    {
        /// <summary>Whether the command will be sent (and may queue behind the commands in flight).</summary>
        public bool IsSent => Refusal is null && Failure is null;
    }
}
