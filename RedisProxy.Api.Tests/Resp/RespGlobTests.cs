using System.Text;
using RedisProxy.Api.Resp;

namespace RedisProxy.Api.Tests.Resp;

/// <summary>
/// Redis's glob matching. Every row was checked against redis-server 7.0: rows that keep case with KEYS, rows that
/// ignore it with CONFIG GET (so their texts are names Redis has).
/// </summary>
public sealed class RespGlobTests
{
    [Theory]
    // Stars and question marks.
    [InlineData("*", "anything", true)]
    [InlineData("**", "", false)] // Redis's matcher needs a byte for a star; KEYS * and CONFIG GET * never ask it.
    [InlineData("", "", true)]
    [InlineData("a", "", false)]
    [InlineData("", "a", false)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "hllo", true)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("*a*b", "xaxb", true)]
    [InlineData("*a*b", "xaxbc", false)]
    // Classes, ranges either way round, negation.
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-c]llo", "hbllo", true)]
    [InlineData("h[c-a]llo", "hbllo", true)]
    [InlineData("h[a-c]llo", "hdllo", false)]
    [InlineData("h[^a-c]llo", "hdllo", true)]
    // Escapes, outside and inside a class; a trailing backslash is itself.
    [InlineData(@"h\*llo", "h*llo", true)]
    [InlineData(@"h\*llo", "hello", false)]
    [InlineData(@"h\?llo", "hello", false)]
    [InlineData(@"h[\]]llo", "h]llo", true)]
    [InlineData(@"h[\-]llo", "h-llo", true)]
    [InlineData(@"a\", @"a\", true)]
    // Redis's quirks: an unclosed class is what was read; "a-]" is the range from ']' to 'a'.
    [InlineData("[abc", "b", true)]
    [InlineData("[abc", "bc", false)]
    [InlineData("[^", "x", true)]
    [InlineData("[a-]", "_", true)]
    [InlineData("[a-]", "-", false)]
    // Case is kept.
    [InlineData("sav?", "save", true)]
    [InlineData("SAV?", "save", false)]
    [InlineData("h*llo", "hellO", false)]
    public void Matches_as_Redis_keeping_case(string pattern, string text, bool expected) =>
        Assert.Equal(expected, RespGlob.IsMatch(Bytes(pattern), Bytes(text), ignoreCase: false));

    [Theory]
    [InlineData("SAVE*", "save", true)]
    [InlineData("Max*-POLICY", "maxmemory-policy", true)]
    [InlineData("*READ-ONLY", "replica-read-only", true)]
    [InlineData("*read-only", "save", false)]
    [InlineData("s?ve", "save", true)]
    [InlineData("s[a-z]ve", "save", true)]
    [InlineData("[R-S]ave", "save", true)]
    [InlineData("[r-s]AVE", "save", true)]
    [InlineData("[S]ave", "save", true)]
    [InlineData("[^S]ave", "save", false)]
    [InlineData(@"\Save*", "save", true)]
    // As Redis: an escaped byte inside a class is compared exactly, case or not.
    [InlineData(@"[\S]ave", "save", false)]
    [InlineData(@"[\s]ave*", "save", true)]
    public void Matches_as_Redis_ignoring_case(string pattern, string text, bool expected) =>
        Assert.Equal(expected, RespGlob.IsMatch(Bytes(pattern), Bytes(text), ignoreCase: true));

    [Theory]
    [InlineData(999, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void Past_a_thousand_nested_stars_nothing_matches_as_in_Redis(int stars, bool expected)
    {
        var pattern = string.Concat(Enumerable.Repeat("*a", stars));

        Assert.Equal(expected, RespGlob.IsMatch(Bytes(pattern), Bytes(new string('a', stars)), ignoreCase: false));
    }

    [Theory]
    [InlineData("save", false)]
    [InlineData(@"sav\e", false)]
    [InlineData("sav*", true)]
    [InlineData("sav?", true)]
    [InlineData("[s]ave", true)]
    public void Only_star_question_mark_and_bracket_make_a_pattern(string pattern, bool expected) =>
        Assert.Equal(expected, RespGlob.HasWildcards(Bytes(pattern)));

    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);
}
