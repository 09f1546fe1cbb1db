using System.Text;

namespace RedisProxy.Api.Resp;

/// <summary>The server commands: COMMAND, INFO and CONFIG, enough for redis-cli and client libraries to connect cleanly.</summary>
internal sealed partial class RespSession
{
    private void Command()
    {
        if (_arguments.Count == 1)
        {
            // Command metadata is optional for clients; an empty table makes them fall back to plain commands.
            _writer.WriteRaw(RespReplies.EmptyArray);
            return;
        }

        var subcommand = _arguments[1];
        if (Ascii.EqualsIgnoreCase(subcommand, "COUNT"u8))
        {
            _writer.WriteInteger(RespCommandTable.Count);
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "DOCS"u8))
        {
            _writer.WriteMapHeader(0);
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "INFO"u8))
        {
            _writer.WriteArrayHeader(_arguments.Count - 2);
            for (var i = 2; i < _arguments.Count; i++)
            {
                _writer.WriteNull();
            }
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "LIST"u8))
        {
            var commands = Enum.GetValues<RespCommand>().Where(c => c != RespCommand.Unknown).ToArray();
            _writer.WriteArrayHeader(commands.Length);
            foreach (var command in commands)
            {
                _writer.WriteBulk(RespCommandTable.NameOf(command));
            }
        }
        else
        {
            _writer.WriteError($"ERR unknown subcommand '{Encoding.UTF8.GetString(subcommand)}'. Try COMMAND HELP.");
        }
    }

    private void Info()
    {
        var sections = new List<string>();
        for (var i = 1; i < _arguments.Count; i++)
        {
            sections.Add(Encoding.UTF8.GetString(_arguments[i]).ToLowerInvariant());
        }

        _writer.WriteBulk(RespServerInfo.Build(sections, _server, _server.Time));
    }

    /// <summary>CONFIG GET, answered for the proxy itself, and HELP; what would change settings is refused.</summary>
    private void Config()
    {
        var subcommand = _arguments[1];
        if (Ascii.EqualsIgnoreCase(subcommand, "GET"u8))
        {
            if (HasArguments(3, int.MaxValue, "config|get"))
            {
                ConfigGet();
            }
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "SET"u8))
        {
            if (HasArguments(4, int.MaxValue, "config|set"))
            {
                _writer.WriteRaw(RespReplies.ConfigSetRefused);
            }
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "RESETSTAT"u8))
        {
            if (HasArguments(2, "config|resetstat"))
            {
                _writer.WriteRaw(RespReplies.ConfigResetStatRefused);
            }
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "REWRITE"u8))
        {
            if (HasArguments(2, "config|rewrite"))
            {
                _writer.WriteRaw(RespReplies.ConfigRewriteRefused);
            }
        }
        else if (Ascii.EqualsIgnoreCase(subcommand, "HELP"u8))
        {
            if (HasArguments(2, "config|help"))
            {
                var lines = _server.Config.HelpLines;
                _writer.WriteArrayHeader(lines.Count);
                foreach (var line in lines)
                {
                    _writer.WriteSimpleString(line);
                }
            }
        }
        else
        {
            _writer.WriteError($"ERR unknown subcommand '{Encoding.UTF8.GetString(subcommand)}'. Try CONFIG HELP.");
        }
    }

    /// <summary>
    /// CONFIG GET pattern [pattern ...], as Redis answers it: a name without wildcards is looked up in any case and
    /// answered under the spelling asked; a pattern is matched, ignoring case, against every name. Each parameter is
    /// listed once, in the order first selected (Redis's order is its hash table's, which nobody can rely on).
    /// </summary>
    private void ConfigGet()
    {
        var config = _server.Config;
        Span<int> selected = stackalloc int[config.Count];
        // The argument whose spelling names each selected parameter in the reply, or -1 for the parameter's own name.
        Span<int> spelledBy = stackalloc int[config.Count];
        var count = 0;
        for (var i = 2; i < _arguments.Count; i++)
        {
            var pattern = _arguments[i];
            if (!RespGlob.HasWildcards(pattern))
            {
                var found = config.Find(pattern);
                if (found >= 0 && !selected[..count].Contains(found))
                {
                    (selected[count], spelledBy[count]) = (found, i);
                    count++;
                }

                continue;
            }

            for (var parameter = 0; parameter < config.Count; parameter++)
            {
                if (!selected[..count].Contains(parameter) && RespGlob.IsMatch(pattern, config.Name(parameter), ignoreCase: true))
                {
                    (selected[count], spelledBy[count]) = (parameter, -1);
                    count++;
                }
            }
        }

        _writer.WriteMapHeader(count);
        for (var i = 0; i < count; i++)
        {
            _writer.WriteBulk(spelledBy[i] < 0 ? config.Name(selected[i]) : _arguments[spelledBy[i]]);
            _writer.WriteBulk(config.Value(selected[i]));
        }
    }

    /// <summary>A command the proxy does not answer: "not supported" when it is a known Redis write or admin command.</summary>
    private void RejectUnknown()
    {
        var name = _arguments[0];
        if (Ascii.EqualsIgnoreCase(name, "POST"u8) || Ascii.EqualsIgnoreCase(name, "HOST:"u8))
        {
            // As Redis: an HTTP request here is likely a browser tricked into cross-protocol scripting. Close silently.
            _closing = true;
            return;
        }

        var refused = RefusedCommands.Match(name);
        if (refused is not null)
        {
            _writer.WriteError($"ERR '{refused}' is not supported by the proxy (it serves GET, MGET, EXISTS, SET key value, DEL and UNLINK)");
            return;
        }

        // Redis's wording, with the name and the arguments quoted and cut at 128 bytes.
        var message = new StringBuilder("ERR unknown command '").Append(Quote(name)).Append("', with args beginning with: ");
        for (var i = 1; i < _arguments.Count && message.Length < 128 + 64; i++)
        {
            message.Append('\'').Append(Quote(_arguments[i])).Append("' ");
        }

        _writer.WriteError(message.ToString());
    }

    private static string Quote(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 128)]);
}
