namespace RedisProxy.Api.Commands;

/// <summary>
/// Where one group of a command's keys is among its arguments (a Redis 7 key specification): where the search begins
/// (<see cref="BeginSearch"/>) and how the keys follow (<see cref="FindKeys"/>).
/// </summary>
internal sealed record KeySpec(KeySpecFlags Flags, BeginSearch Begin, FindKeys Find);

[Flags]
internal enum KeySpecFlags
{
    None = 0,

    /// <summary>The command may change these keys (RW, OW or RM).</summary>
    Writes = 1 << 0,

    /// <summary>The arguments found are not keys (e.g. a channel); they are skipped.</summary>
    NotKey = 1 << 1,

    /// <summary>The spec may miss some of the keys.</summary>
    Incomplete = 1 << 2,
}

/// <summary>Where a key spec's search begins.</summary>
internal abstract record BeginSearch
{
    /// <summary>At a fixed argument index (the command name is index 0).</summary>
    public sealed record Index(int Position) : BeginSearch;

    /// <summary>After a keyword, searched from <paramref name="StartFrom"/> (negative: backwards from the end).</summary>
    public sealed record Keyword(string Word, int StartFrom) : BeginSearch;

    /// <summary>Not describable: the keys cannot be found from the arguments alone.</summary>
    public sealed record Unknown : BeginSearch;
}

/// <summary>How a key spec's keys follow the place its search began.</summary>
internal abstract record FindKeys
{
    /// <summary>
    /// Keys from the first to <paramref name="LastKey"/> (relative to the first; negative: from the end), every
    /// <paramref name="KeyStep"/> arguments; with a <paramref name="Limit"/>, that share of what is left.
    /// </summary>
    public sealed record Range(int LastKey, int KeyStep, int Limit) : FindKeys;

    /// <summary>The number of keys is the argument at <paramref name="KeyNumIndex"/>; they start at <paramref name="FirstKey"/>.</summary>
    public sealed record KeyNum(int KeyNumIndex, int FirstKey, int KeyStep) : FindKeys;

    public sealed record Unknown : FindKeys;
}
