using System.Collections.Frozen;

namespace RedisProxy.Api.Commands;

/// <summary>
/// What the backend says of one command (an entry of COMMAND): its lower-case name (<c>object|encoding</c> for a
/// subcommand), arity (negative: at least that many arguments), flags, where its keys are, and its subcommands.
/// </summary>
internal sealed record CommandInfo(
    string Name,
    int Arity,
    CommandTraits Flags,
    IReadOnlyList<KeySpec> KeySpecs,
    (int First, int Last, int Step) LegacyKeys,
    FrozenDictionary<string, CommandInfo> Subcommands)
{
    /// <summary>The name a client sends first: the command's own, or for a subcommand its container's.</summary>
    public string RootName { get; } = Name.Split('|')[0];

    /// <summary>The root name in upper case, as telemetry gives it (<c>db.operation.name</c>).</summary>
    public string OperationName { get; } = Name.Split('|')[0].ToUpperInvariant();

    /// <summary>Whether this is a container's subcommand (<c>client|kill</c>), not a command of its own.</summary>
    public bool IsSubcommand => Name.Contains('|', StringComparison.Ordinal);

    public bool Has(CommandTraits flag) => (Flags & flag) == flag;
}
