using System.Buffers.Text;
using System.Text;
using RedisProxy.Api.Commands;
using RedisProxy.Api.Failures;

namespace RedisProxy.Api.Resp;

/// <summary>The connection commands: PING, HELLO, AUTH, SELECT, RESET and CLIENT, answered as Redis does.</summary>
internal sealed partial class RespSession
{
    private static readonly string[] ClientHelpLines =
    [
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "SETNAME <connection-name>",
        "    Assign the name <connection-name> to the current connection.",
        "TRACKING, KILL, LIST, INFO, PAUSE, REPLY and the others",
        "    Not supported: the proxy's clients share its connections to the backend.",
        "HELP",
        "    Prints this help.",
    ];

    private bool _authenticated;
    private byte[]? _name;

    /// <summary>The database SELECT chose; every key of this connection belongs to it.</summary>
    private int _database;

    private void Ping()
    {
        if (_arguments.Count == 1)
        {
            _writer.WriteRaw(RespReplies.Pong);
        }
        else
        {
            _writer.WriteBulk(_arguments[1]);
        }
    }

    /// <summary>HELLO [protover [AUTH username password] [SETNAME clientname]].</summary>
    private void Hello()
    {
        var protocol = _writer.Protocol;
        if (_arguments.Count > 1)
        {
            if (!TryParseInteger(_arguments[1], out var requested))
            {
                _writer.WriteRaw(RespReplies.ProtocolNotInteger);
                return;
            }

            if (requested is not (2 or 3))
            {
                _writer.WriteRaw(RespReplies.NoProto);
                return;
            }

            protocol = (int)requested;
        }

        var authIndex = -1;
        var nameIndex = -1;
        for (var i = 2; i < _arguments.Count; i++)
        {
            var option = _arguments[i];
            var left = _arguments.Count - i - 1;
            if (Ascii.EqualsIgnoreCase(option, "AUTH"u8) && left >= 2)
            {
                authIndex = i + 1;
                i += 2;
            }
            else if (Ascii.EqualsIgnoreCase(option, "SETNAME"u8) && left >= 1)
            {
                nameIndex = i + 1;
                i += 1;
            }
            else
            {
                _writer.WriteError($"ERR Syntax error in HELLO option '{Encoding.UTF8.GetString(option)}'");
                return;
            }
        }

        if (authIndex >= 0 && !TryAuthenticate(_arguments[authIndex], _arguments[authIndex + 1]))
        {
            _writer.WriteRaw(RespReplies.WrongPass);
            return;
        }

        if (!_authenticated)
        {
            _writer.WriteRaw(RespReplies.HelloNoAuth);
            return;
        }

        if (nameIndex >= 0 && !TrySetName(_arguments[nameIndex]))
        {
            return;
        }

        _writer.Protocol = protocol;
        _writer.WriteMapHeader(7);
        _writer.WriteBulk("server"u8);
        _writer.WriteBulk("redis"u8);
        _writer.WriteBulk("version"u8);
        _writer.WriteBulk(_server.RedisVersion);
        _writer.WriteBulk("proto"u8);
        _writer.WriteInteger(protocol);
        _writer.WriteBulk("id"u8);
        _writer.WriteInteger(Id);
        _writer.WriteBulk("mode"u8);
        _writer.WriteBulk("standalone"u8);
        _writer.WriteBulk("role"u8);
        _writer.WriteBulk("master"u8);
        _writer.WriteBulk("modules"u8);
        _writer.WriteRaw(RespReplies.EmptyArray);
    }

    /// <summary>AUTH password, or AUTH username password with the only user, <c>default</c>.</summary>
    private void Auth()
    {
        if (_arguments.Count == 2 && !_server.Password.IsRequired)
        {
            _writer.WriteRaw(RespReplies.NoPassword);
            return;
        }

        var user = _arguments.Count == 3 ? _arguments[1] : "default"u8;
        _writer.WriteRaw(TryAuthenticate(user, _arguments[_arguments.Count - 1]) ? RespReplies.Ok : RespReplies.WrongPass);
    }

    private bool TryAuthenticate(ReadOnlySpan<byte> user, ReadOnlySpan<byte> password)
    {
        if (!user.SequenceEqual("default"u8))
        {
            return false;
        }

        // Without PROXY_REQUIREPASS the default user has no password, and Redis accepts any.
        if (_server.Password.IsRequired && !_server.Password.Matches(password))
        {
            return false;
        }

        _authenticated = true;
        return true;
    }

    private void Select()
    {
        if (!TryParseInteger(_arguments[1], out var database))
        {
            _writer.WriteRaw(RespReplies.NotInteger);
            return;
        }

        if (database is < 0 or >= RespServerConfig.Databases)
        {
            _writer.WriteRaw(RespReplies.DatabaseOutOfRange);
            return;
        }

        _database = (int)database;
        _writer.WriteRaw(RespReplies.Ok);
    }

    private void Reset()
    {
        _writer.Protocol = 2;
        _database = 0;
        _name = null;
        _authenticated = !_server.Password.IsRequired;
        _writer.WriteRaw(RespReplies.Reset);
    }

    /// <summary>
    /// CLIENT SETNAME, GETNAME, SETINFO and ID (what client libraries send while connecting) and HELP are answered here;
    /// the backend's other CLIENT subcommands are refused, since they act on a connection the proxy's clients share.
    /// </summary>
    private async ValueTask ClientAsync()
    {
        var subcommand = _arguments[1];
        if (Ascii.EqualsIgnoreCase(subcommand, "ID"u8) && HasArguments(2, "client|id"))
        {
            _writer.WriteInteger(Id);
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "GETNAME"u8) && HasArguments(2, "client|getname"))
        {
            if (_name is null)
            {
                _writer.WriteNull();
            }
            else
            {
                _writer.WriteBulk(_name);
            }
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "SETNAME"u8) && HasArguments(3, "client|setname"))
        {
            if (TrySetName(_arguments[2]))
            {
                _writer.WriteRaw(RespReplies.Ok);
            }
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "SETINFO"u8) && HasArguments(4, "client|setinfo"))
        {
            // The library's name and version are accepted and not kept: nothing here reports them.
            var attribute = _arguments[2];
            if (Ascii.EqualsIgnoreCase(attribute, "LIB-NAME"u8) || Ascii.EqualsIgnoreCase(attribute, "LIB-VER"u8))
            {
                _writer.WriteRaw(RespReplies.Ok);
            }
            else
            {
                _writer.WriteError($"ERR Unrecognized option '{Encoding.UTF8.GetString(attribute)}'");
            }
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "HELP"u8) && HasArguments(2, "client|help"))
        {
            WriteHelp(ClientHelpLines);
        }
        else if (!IsKnownClientSubcommand(subcommand))
        {
            await RefuseClientSubcommandAsync();
        }
    }

    /// <summary>The refusal of a CLIENT subcommand the backend knows (TRACKING, KILL…), or Redis's own error for one it does not.</summary>
    private async ValueTask RefuseClientSubcommandAsync()
    {
        CommandTable table;
        try
        {
            table = await _server.Commands.GetAsync(_closed);
        }
        catch (ProxyFailureException failure)
        {
            WriteFailure(failure);
            return;
        }

        if (table.Find(_arguments) is { IsSubcommand: true } command && _server.Policy.Refusal(command, _arguments) is { } refusal)
        {
            _writer.WriteError(refusal);
        }
        else
        {
            _writer.WriteError($"ERR unknown subcommand '{Encoding.UTF8.GetString(_arguments[1])}'. Try CLIENT HELP.");
        }
    }

    private static bool IsKnownClientSubcommand(ReadOnlySpan<byte> subcommand) =>
        Ascii.EqualsIgnoreCase(subcommand, "ID"u8) || Ascii.EqualsIgnoreCase(subcommand, "GETNAME"u8)
        || Ascii.EqualsIgnoreCase(subcommand, "SETNAME"u8) || Ascii.EqualsIgnoreCase(subcommand, "SETINFO"u8)
        || Ascii.EqualsIgnoreCase(subcommand, "HELP"u8);

    /// <summary>True when the subcommand has exactly <paramref name="count"/> arguments; otherwise answers the arity error.</summary>
    private bool HasArguments(int count, string name) => HasArguments(count, count, name);

    /// <summary>True when the subcommand has <paramref name="min"/> to <paramref name="max"/> arguments; otherwise answers the arity error.</summary>
    private bool HasArguments(int min, int max, string name)
    {
        if (_arguments.Count >= min && _arguments.Count <= max)
        {
            return true;
        }

        _writer.WriteError($"ERR wrong number of arguments for '{name}' command");
        return false;
    }

    private bool TrySetName(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b is < (byte)'!' or > (byte)'~')
            {
                _writer.WriteRaw(RespReplies.BadClientName);
                return false;
            }
        }

        _name = name.IsEmpty ? null : name.ToArray();
        return true;
    }

    private static bool TryParseInteger(ReadOnlySpan<byte> text, out long value) =>
        Utf8Parser.TryParse(text, out value, out var used) && used == text.Length;
}
