using System.Collections.Frozen;
using System.Globalization;
using RedisProxy.Api.Commands;
using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Which of the backend's commands a RESP client may send through the proxy, and over which connection. Everything is
/// forwarded except admin commands (refused unless RESP_ALLOW_COMMANDS names them), what RESP_DENY_COMMANDS names, and
/// commands that would change or watch a backend connection other clients share (MONITOR, CLIENT beyond what the proxy
/// answers itself), which no setting allows. Subscribing and blocking commands go over a pinned connection.
/// </summary>
internal sealed class CommandPolicy(ProxyOptions settings)
{
    /// <summary>Commands that put their connection in subscribed mode: they hold a pinned connection from then on.</summary>
    private static readonly FrozenSet<string> Subscribing = FrozenSet.Create(StringComparer.Ordinal, "subscribe", "psubscribe", "ssubscribe");

    /// <summary>Unsubscribing without a subscription: answered by Redis on a pinned connection lent for the one command.</summary>
    private static readonly FrozenSet<string> Unsubscribing = FrozenSet.Create(StringComparer.Ordinal, "unsubscribe", "punsubscribe", "sunsubscribe");

    /// <summary>Commands that wait on their connection without being flagged blocking.</summary>
    private static readonly FrozenSet<string> Waiting = FrozenSet.Create(StringComparer.Ordinal, "wait", "waitaof");

    /// <summary>Commands that change or watch the backend connection itself, which the proxy's clients share.</summary>
    private static readonly FrozenSet<string> ConnectionCommands = FrozenSet.Create(StringComparer.Ordinal,
        "monitor", "sync", "psync", "replconf", "client", "readonly", "readwrite", "asking");

    private readonly FrozenSet<string> _denied = settings.RespDeniedCommands.ToFrozenSet(StringComparer.Ordinal);
    private readonly FrozenSet<string> _allowed = settings.RespAllowedCommands.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Why RESP_DENY_COMMANDS refuses the command, whichever kind it is (one the proxy answers itself included), or
    /// null; costs nothing while the list is empty.
    /// </summary>
    public string? DeniedByName<TArgs>(TArgs args)
        where TArgs : ICommandArguments
    {
        if (_denied.Count == 0 || args.Count == 0)
        {
            return null;
        }

        var name = System.Text.Encoding.ASCII.GetString(args[0]).ToLowerInvariant();
        var subcommand = args.Count > 1 ? $"{name}|{System.Text.Encoding.ASCII.GetString(args[1]).ToLowerInvariant()}" : null;
        return _denied.Contains(name) || (subcommand is not null && _denied.Contains(subcommand))
            ? $"ERR '{(_denied.Contains(name) ? name : subcommand!.Replace('|', ' ')).ToUpper(CultureInfo.InvariantCulture)}' is not allowed through the proxy (RESP_DENY_COMMANDS)"
            : null;
    }

    /// <summary>Where a command the proxy does not answer itself goes: the shared connection, or a pinned one.</summary>
    public static CommandRoute Route<TArgs>(CommandInfo command, TArgs args)
        where TArgs : ICommandArguments =>
        Subscribing.Contains(command.RootName) ? CommandRoute.Subscribe
        : Unsubscribing.Contains(command.RootName) || Waiting.Contains(command.RootName) || IsBlocking(command, args) ? CommandRoute.Blocking
        : CommandRoute.Shared;

    /// <summary>Why the command is refused (an error reply, without its <c>-</c>), or null when it is forwarded.</summary>
    public string? Refusal<TArgs>(CommandInfo command, TArgs args)
        where TArgs : ICommandArguments
    {
        var display = Display(command);
        if (ConnectionCommands.Contains(command.RootName))
        {
            return $"ERR '{display}' is not supported by the proxy (its clients share connections to the backend)";
        }

        if (_denied.Contains(command.Name) || _denied.Contains(command.RootName))
        {
            return $"ERR '{display}' is not allowed through the proxy (RESP_DENY_COMMANDS)";
        }

        if (command.Has(CommandTraits.Admin) && !_allowed.Contains(command.Name) && !_allowed.Contains(command.RootName))
        {
            return $"ERR '{display}' is not allowed through the proxy (an admin command; RESP_ALLOW_COMMANDS can allow it)";
        }

        return null;
    }

    /// <summary>XREAD and XREADGROUP are flagged blocking, but block only with a BLOCK option (before STREAMS).</summary>
    private static bool IsBlocking<TArgs>(CommandInfo command, TArgs args)
        where TArgs : ICommandArguments
    {
        if (!command.Has(CommandTraits.Blocking))
        {
            return false;
        }

        if (command.RootName is not ("xread" or "xreadgroup"))
        {
            return true;
        }

        for (var i = 1; i < args.Count && !System.Text.Ascii.EqualsIgnoreCase(args[i], "STREAMS"u8); i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(args[i], "BLOCK"u8))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The command as people write it: <c>CONFIG SET</c>.</summary>
    private static string Display(CommandInfo command) => command.Name.Replace('|', ' ').ToUpper(CultureInfo.InvariantCulture);
}
