using System.Collections.Frozen;

namespace RedisProxy.Api.Commands;

/// <summary>
/// What the backend says of one command (an entry of COMMAND): its lower-case name (<c>object|encoding</c> for a
/// subcommand), arity (negative: at least that many arguments), flags, where its keys are, and its subcommands.
/// </summary>
internal sealed record CommandInfo(
    string Name,
    int Arity,
    CommandFlags Flags,
    IReadOnlyList<KeySpec> KeySpecs,
    (int First, int Last, int Step) LegacyKeys,
    FrozenDictionary<string, CommandInfo> Subcommands)
{
    public bool Has(CommandFlags flag) => (Flags & flag) == flag;
}
