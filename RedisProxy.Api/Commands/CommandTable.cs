using System.Collections.Frozen;
using System.Text;
using StackExchange.Redis;

namespace RedisProxy.Api.Commands;

/// <summary>
/// The backend's commands, as its <c>COMMAND</c> reply describes them: found by name (and subcommand) from the bytes
/// a client sent, without allocating.
/// </summary>
internal sealed class CommandTable
{
    private const int LongestName = 64;

    private readonly FrozenDictionary<string, CommandInfo> _commands;
    private readonly FrozenDictionary<string, CommandInfo>.AlternateLookup<ReadOnlySpan<char>> _byName;

    public CommandTable(IEnumerable<CommandInfo> commands)
    {
        _commands = commands.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        _byName = _commands.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _commands.Count;

    /// <summary>
    /// The command the arguments name: its subcommand's entry when it has subcommands and one is named, else its own;
    /// null when the backend does not know it.
    /// </summary>
    public CommandInfo? Find<TArgs>(TArgs args)
        where TArgs : ICommandArguments
    {
        if (args.Count == 0 || !TryLookup(_byName, args[0], "", out var command))
        {
            return null;
        }

        if (command.Subcommands.Count == 0 || args.Count < 2)
        {
            return command;
        }

        var lookup = command.Subcommands.GetAlternateLookup<ReadOnlySpan<char>>();
        return TryLookup(lookup, args[1], command.Name + "|", out var subcommand) ? subcommand : command;
    }

    /// <summary>Reads the reply to <c>COMMAND</c>: an array with one entry per command (Redis 6 and 7, Garnet).</summary>
    public static CommandTable Parse(RedisResult reply) =>
        new(((RedisResult[]?)reply ?? []).Select(ParseCommand).OfType<CommandInfo>());

    private static bool TryLookup(
        FrozenDictionary<string, CommandInfo>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<byte> name, string prefix, out CommandInfo command)
    {
        command = null!;
        if (name.Length + prefix.Length > LongestName || !Ascii.IsValid(name))
        {
            return false;
        }

        Span<char> lower = stackalloc char[prefix.Length + name.Length];
        prefix.CopyTo(lower);
        Ascii.ToLower(name, lower[prefix.Length..], out _);
        return lookup.TryGetValue(lower, out command!);
    }

    private static CommandInfo? ParseCommand(RedisResult entry)
    {
        var fields = (RedisResult[]?)entry;
        if (fields is null || fields.Length < 6 || fields[0].IsNull)
        {
            return null;
        }

        var flags = CommandTraits.None;
        foreach (var flag in Strings(fields[2]))
        {
            flags |= flag switch
            {
                "write" => CommandTraits.Write,
                "readonly" => CommandTraits.ReadOnly,
                "admin" => CommandTraits.Admin,
                "pubsub" => CommandTraits.PubSub,
                "blocking" => CommandTraits.Blocking,
                "movablekeys" => CommandTraits.MovableKeys,
                _ => CommandTraits.None,
            };
        }

        var keySpecs = fields.Length > 8 ? ((RedisResult[]?)fields[8] ?? []).Select(ParseKeySpec).ToArray() : [];
        var subcommands = fields.Length > 9
            ? ((RedisResult[]?)fields[9] ?? []).Select(ParseCommand).OfType<CommandInfo>().ToFrozenDictionary(c => c.Name, StringComparer.Ordinal)
            : FrozenDictionary<string, CommandInfo>.Empty;
        return new CommandInfo(
            ((string?)fields[0] ?? "").ToLowerInvariant(),
            (int)fields[1],
            flags,
            keySpecs,
            ((int)fields[3], (int)fields[4], (int)fields[5]),
            subcommands);
    }

    private static KeySpec ParseKeySpec(RedisResult spec)
    {
        var fields = Pairs(spec);
        var flags = KeySpecFlags.None;
        foreach (var flag in fields.TryGetValue("flags", out var list) ? Strings(list) : [])
        {
            flags |= flag.ToUpperInvariant() switch
            {
                "RW" or "OW" or "RM" => KeySpecFlags.Writes,
                "NOT_KEY" => KeySpecFlags.NotKey,
                "INCOMPLETE" => KeySpecFlags.Incomplete,
                _ => KeySpecFlags.None,
            };
        }

        return new KeySpec(flags, ParseBeginSearch(fields), ParseFindKeys(fields));
    }

    private static BeginSearch ParseBeginSearch(Dictionary<string, RedisResult> spec)
    {
        if (!spec.TryGetValue("begin_search", out var search))
        {
            return new BeginSearch.Unknown();
        }

        var fields = Pairs(search);
        var detail = fields.TryGetValue("spec", out var inner) ? Pairs(inner) : [];
        return Text(fields, "type") switch
        {
            "index" => new BeginSearch.Index(Number(detail, "index")),
            "keyword" => new BeginSearch.Keyword(Text(detail, "keyword") ?? "", Number(detail, "startfrom")),
            _ => new BeginSearch.Unknown(),
        };
    }

    private static FindKeys ParseFindKeys(Dictionary<string, RedisResult> spec)
    {
        if (!spec.TryGetValue("find_keys", out var find))
        {
            return new FindKeys.Unknown();
        }

        var fields = Pairs(find);
        var detail = fields.TryGetValue("spec", out var inner) ? Pairs(inner) : [];
        return Text(fields, "type") switch
        {
            "range" => new FindKeys.Range(Number(detail, "lastkey"), Number(detail, "keystep"), Number(detail, "limit")),
            "keynum" => new FindKeys.KeyNum(Number(detail, "keynumidx"), Number(detail, "firstkey"), Number(detail, "keystep")),
            _ => new FindKeys.Unknown(),
        };
    }

    /// <summary>A map, or a flat array of names and values as RESP2 sends one.</summary>
    private static Dictionary<string, RedisResult> Pairs(RedisResult result)
    {
        var items = (RedisResult[]?)result ?? [];
        var pairs = new Dictionary<string, RedisResult>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            pairs[(string?)items[i] ?? ""] = items[i + 1];
        }

        return pairs;
    }

    private static IEnumerable<string> Strings(RedisResult result) =>
        ((RedisResult[]?)result ?? []).Select(r => ((string?)r ?? "").ToLowerInvariant());

    private static string? Text(Dictionary<string, RedisResult> fields, string name) =>
        fields.TryGetValue(name, out var value) ? ((string?)value)?.ToLowerInvariant() : null;

    private static int Number(Dictionary<string, RedisResult> fields, string name) =>
        fields.TryGetValue(name, out var value) && !value.IsNull ? (int)value : 0;
}
