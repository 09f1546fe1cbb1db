using System.Text;
using RedisProxy.Api.Core;
using RedisProxy.Api.Failures;
using StackExchange.Redis;

namespace RedisProxy.Api.Resp;

/// <summary>The server commands the proxy answers itself: INFO (the backend's and its own) and CONFIG (its own settings).</summary>
internal sealed partial class RespSession
{
    /// <summary>
    /// INFO: the backend's own sections, as Redis writes them, then the proxy's (a <c># Proxy</c> section: its cache and
    /// its clients). While the backend cannot be asked, the proxy's sections alone.
    /// </summary>
    private async ValueTask InfoAsync()
    {
        var sections = new List<string>();
        for (var i = 1; i < _arguments.Count; i++)
        {
            sections.Add(Encoding.UTF8.GetString(_arguments[i]).ToLowerInvariant());
        }

        string? backendText = null;
        var plan = await PlanForwardAsync();
        if (plan.IsSent && plan.Command is not null)
        {
            try
            {
                using var reply = await _proxy.ForwardAsync(ForwardedCommand.From(_arguments, plan.Command), _database, RedisProtocol.Resp2, _closed);
                backendText = reply.Reply?.Read().ReadString();
            }
            catch (ProxyFailureException)
            {
                // Answered with what the proxy knows of itself.
            }
        }

        var text = RespServerInfo.Build(sections, backendText, _server, _server.Time);
        if (_writer.Protocol == 3)
        {
            _writer.WriteVerbatimText(text);
        }
        else
        {
            _writer.WriteBulk(text);
        }
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
                WriteHelp(_server.Config.HelpLines);
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
}
