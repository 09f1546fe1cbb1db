namespace RedisProxy.Api.Resp;

/// <summary>
/// Redis's glob-style matching (its <c>stringmatchlen</c>, used by CONFIG GET, KEYS and PSUBSCRIBE), quirks
/// included: <c>*</c> any run, <c>?</c> any one byte, <c>[abc]</c>, <c>[a-z]</c> (either way round) and
/// <c>[^...]</c> classes, <c>\</c> taking the next byte literally. An unclosed class ends at the pattern's end, and
/// an escaped byte inside a class is compared exactly even when case is ignored, as Redis does. Case is ASCII only.
/// </summary>
internal static class RespGlob
{
    // Redis gives up on a pattern nested this deep in stars (a guard against abusive patterns) and calls it no match.
    private const int MaxNesting = 1000;

    /// <summary>Whether <paramref name="pattern"/> holds <c>*</c>, <c>?</c> or <c>[</c>; Redis looks any other name up as it is.</summary>
    public static bool HasWildcards(ReadOnlySpan<byte> pattern) => pattern.IndexOfAny("*?["u8) >= 0;

    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase)
    {
        var skipLongerMatches = false;
        return IsMatch(pattern, text, ignoreCase, ref skipLongerMatches, 0);
    }

    private static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase, ref bool skipLongerMatches, int nesting)
    {
        if (nesting > MaxNesting)
        {
            return false;
        }

        int p = 0, t = 0;
        while (p < pattern.Length && t < text.Length)
        {
            switch (pattern[p])
            {
                case (byte)'*':
                    while (p + 1 < pattern.Length && pattern[p + 1] == '*')
                    {
                        p++;
                    }

                    if (p == pattern.Length - 1)
                    {
                        return true;
                    }

                    for (; t < text.Length; t++)
                    {
                        if (IsMatch(pattern[(p + 1)..], text[t..], ignoreCase, ref skipLongerMatches, nesting + 1))
                        {
                            return true;
                        }

                        if (skipLongerMatches)
                        {
                            return false;
                        }
                    }

                    // The rest matches from nowhere in the text, so no earlier star can help by taking more of it.
                    skipLongerMatches = true;
                    return false;
                case (byte)'?':
                    t++;
                    break;
                case (byte)'[':
                    p++;
                    var negated = p < pattern.Length && pattern[p] == '^';
                    if (negated)
                    {
                        p++;
                    }

                    var matched = false;
                    while (true)
                    {
                        if (p == pattern.Length)
                        {
                            // Unclosed: the class is what was read; step back so the increment below ends the pattern.
                            p--;
                            break;
                        }

                        if (pattern[p] == '\\' && p + 1 < pattern.Length)
                        {
                            p++;
                            matched |= pattern[p] == text[t];
                        }
                        else if (pattern[p] == ']')
                        {
                            break;
                        }
                        else if (p + 2 < pattern.Length && pattern[p + 1] == '-')
                        {
                            int start = pattern[p], end = pattern[p + 2], c = text[t];
                            if (start > end)
                            {
                                (start, end) = (end, start);
                            }

                            if (ignoreCase)
                            {
                                (start, end, c) = (Lower(start), Lower(end), Lower(c));
                            }

                            p += 2;
                            matched |= c >= start && c <= end;
                        }
                        else
                        {
                            matched |= SameByte(pattern[p], text[t], ignoreCase);
                        }

                        p++;
                    }

                    if (matched == negated)
                    {
                        return false;
                    }

                    t++;
                    break;
                case (byte)'\\' when p + 1 < pattern.Length:
                    p++;
                    goto default;
                default:
                    if (!SameByte(pattern[p], text[t], ignoreCase))
                    {
                        return false;
                    }

                    t++;
                    break;
            }

            p++;
            if (t == text.Length)
            {
                while (p < pattern.Length && pattern[p] == '*')
                {
                    p++;
                }

                break;
            }
        }

        return p == pattern.Length && t == text.Length;
    }

    private static bool SameByte(byte a, byte b, bool ignoreCase) => a == b || (ignoreCase && Lower(a) == Lower(b));

    private static int Lower(int c) => c is >= 'A' and <= 'Z' ? c + ('a' - 'A') : c;
}
