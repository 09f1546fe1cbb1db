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
            return new ForwardPlan(null, null, failure, CommandRoute.Shared);
        }

        var command = table.Find(_arguments);
        return command is null
            ? new ForwardPlan(null, null, null, CommandRoute.Shared)
            : new ForwardPlan(command, _server.Policy.Refusal(command, _arguments), null, CommandPolicy.Route(command, _arguments));
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

        if (plan.Route != CommandRoute.Shared)
        {
            await (plan.Route == CommandRoute.Subscribe ? SubscribeAsync(plan.Command!) : BlockAsync(plan.Command!));
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
    private readonly record struct ForwardPlan(CommandInfo? Command, string? Refusal, ProxyFailureException? Failure, CommandRoute Route)
    {
        /// <summary>Whether the command will be sent over the shared connection (and may queue behind the commands in flight there).</summary>
        public bool IsSent => Refusal is null && Failure is null && Route == CommandRoute.Shared;
    }
}
