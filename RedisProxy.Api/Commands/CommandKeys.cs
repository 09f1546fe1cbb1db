using System.Buffers.Text;
using System.Text;

namespace RedisProxy.Api.Commands;

/// <summary>
/// Finds a command's keys among its arguments the way Redis does from the command's key specifications, or, for a
/// backend that has none (Redis 6), from its first key, last key and step.
/// </summary>
internal static class CommandKeys
{
    /// <summary>
    /// Adds the keys of <paramref name="args"/> to <paramref name="keys"/>; false when some of the keys the command
    /// may write cannot be known from the arguments (a spec of unknown shape or an incomplete one, movable keys
    /// without specs, or arguments that do not fit the spec, which Redis refuses as a syntax error).
    /// </summary>
    public static bool TryFind<TArgs>(CommandInfo command, TArgs args, List<KeyPosition> keys)
        where TArgs : ICommandArguments
    {
        if (command.KeySpecs.Count == 0)
        {
            return TryFindLegacy(command, args, keys);
        }

        var complete = true;
        foreach (var spec in command.KeySpecs)
        {
            if ((spec.Flags & KeySpecFlags.NotKey) != 0)
            {
                continue;
            }

            // A script's declared keys are written as far as anyone can tell (EVAL's spec says RW; the command is not
            // flagged write).
            var writes = (spec.Flags & KeySpecFlags.Writes) != 0;
            if (!TryFind(Resolve(command, spec), args, writes, keys) || (spec.Flags & KeySpecFlags.Incomplete) != 0)
            {
                // Keys that are only read may stay unknown: nothing of the cache depends on them.
                complete &= !writes;
            }
        }

        return complete;
    }

    /// <summary>SORT's STORE destination is described as unknown (the keyword may be anywhere); it is the argument after STORE.</summary>
    private static KeySpec Resolve(CommandInfo command, KeySpec spec) =>
        spec.Begin is BeginSearch.Unknown && (spec.Flags & KeySpecFlags.Writes) != 0 && command.Name is "sort"
            ? spec with { Begin = new BeginSearch.Keyword("STORE", 2), Find = new FindKeys.Range(0, 1, 0), Flags = spec.Flags & ~KeySpecFlags.Incomplete }
            : spec;

    private static bool TryFind<TArgs>(KeySpec spec, TArgs args, bool writes, List<KeyPosition> keys)
        where TArgs : ICommandArguments
    {
        var argc = args.Count;
        int first;
        switch (spec.Begin)
        {
            case BeginSearch.Index index:
                first = index.Position;
                break;
            case BeginSearch.Keyword keyword:
                first = FindKeyword(keyword, args);
                if (first == 0)
                {
                    // The keyword is absent: this spec names no keys here.
                    return true;
                }

                break;
            default:
                return false;
        }

        int last;
        int step;
        switch (spec.Find)
        {
            case FindKeys.Range range:
                step = range.KeyStep;
                last = range.LastKey >= 0 ? first + range.LastKey
                    : range.Limit == 0 ? argc + range.LastKey
                    : first + ((argc - first) / range.Limit) + range.LastKey;
                break;
            case FindKeys.KeyNum keyNum:
                step = keyNum.KeyStep;
                if (first + keyNum.KeyNumIndex >= argc || !TryParseCount(args[first + keyNum.KeyNumIndex], out var count))
                {
                    return false;
                }

                first += keyNum.FirstKey;
                last = first + count - 1;
                if (count == 0)
                {
                    return true;
                }

                break;
            default:
                return false;
        }

        if (step <= 0 || last >= argc || last < first || first >= argc)
        {
            return false;
        }

        for (var i = first; i <= last; i += step)
        {
            keys.Add(new KeyPosition(i, writes));
        }

        return true;
    }

    /// <summary>The index just after the keyword, searched as Redis does; 0 when it is not there.</summary>
    private static int FindKeyword<TArgs>(BeginSearch.Keyword keyword, TArgs args)
        where TArgs : ICommandArguments
    {
        var argc = args.Count;
        var start = keyword.StartFrom > 0 ? keyword.StartFrom : argc + keyword.StartFrom;
        var end = keyword.StartFrom > 0 ? argc - 1 : 0;
        var word = Encoding.ASCII.GetBytes(keyword.Word);
        for (var i = start; i != end; i = start <= end ? i + 1 : i - 1)
        {
            if (i >= argc || i < 1)
            {
                break;
            }

            if (Ascii.EqualsIgnoreCase(args[i], word))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static bool TryFindLegacy<TArgs>(CommandInfo command, TArgs args, List<KeyPosition> keys)
        where TArgs : ICommandArguments
    {
        var writes = command.Has(CommandTraits.Write);
        if (command.Has(CommandTraits.MovableKeys))
        {
            return !writes;
        }

        var (first, last, step) = command.LegacyKeys;
        if (first <= 0)
        {
            return true;
        }

        if (last < 0)
        {
            last = args.Count + last;
        }

        for (var i = first; i <= last && i < args.Count && step > 0; i += step)
        {
            keys.Add(new KeyPosition(i, writes));
        }

        return true;
    }

    private static bool TryParseCount(ReadOnlySpan<byte> text, out int count) =>
        Utf8Parser.TryParse(text, out count, out var used) && used == text.Length && count >= 0;
}
