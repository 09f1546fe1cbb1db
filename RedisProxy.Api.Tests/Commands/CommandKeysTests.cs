using RedisProxy.Api.Commands;

namespace RedisProxy.Api.Tests.Commands;

/// <summary>Keys found from redis-server's own key specifications, as Redis finds them (COMMAND GETKEYS agrees).</summary>
public sealed class CommandKeysTests(RedisCommandsFixture redis) : IClassFixture<RedisCommandsFixture>
{
    [Theory]
    // Written keys are marked "w", read ones "r"; an empty list is a command without keys.
    [InlineData("GET k", "1r")]
    [InlineData("SET k v EX 10", "1w")]
    [InlineData("MSET a 1 b 2", "1w 3w")]
    [InlineData("MGET a b c", "1r 2r 3r")]
    [InlineData("DEL a b", "1w 2w")]
    [InlineData("RENAME src dst", "1w 2w")]
    [InlineData("LMOVE src dst LEFT RIGHT", "1w 2w")]
    [InlineData("ZUNIONSTORE dst 2 a b", "1w 3r 4r")]
    [InlineData("EVAL script 2 a b arg", "3w 4w")]
    [InlineData("EVAL script 0 arg", "")]
    [InlineData("FCALL f 1 k arg", "3w")]
    [InlineData("XREAD COUNT 1 STREAMS s1 s2 0 0", "4r 5r")]
    [InlineData("OBJECT ENCODING k", "2r")]
    [InlineData("SORT k", "1r")]
    [InlineData("SORT k BY w_* STORE dst", "1r 5w")]
    [InlineData("ZUNIONSTORE dst 5 a b", "1w")]
    [InlineData("PING", "")]
    [InlineData("FLUSHALL", "")]
    public void Keys_are_found_where_Redis_finds_them(string command, string expected)
    {
        var args = new TextArguments(command);
        var info = redis.Table.Find(args);
        Assert.NotNull(info);

        var keys = new List<KeyPosition>();
        Assert.True(CommandKeys.TryFind(info, args, keys), $"the keys of {command} should be known");

        Assert.Equal(expected, string.Join(' ', keys.Select(k => $"{k.Index}{(k.Writes ? 'w' : 'r')}")));
    }

    [Theory]
    [InlineData("EVAL script notanumber k")]
    [InlineData("EVAL script 5 a b")]
    [InlineData("MIGRATE host 6379 k 0 5000")]
    public void Keys_a_command_may_write_that_the_arguments_do_not_tell_leave_the_keys_unknown(string command)
    {
        var args = new TextArguments(command);

        Assert.False(CommandKeys.TryFind(redis.Table.Find(args)!, args, []));
    }

    [Fact]
    public void Flags_say_what_a_command_does()
    {
        Assert.True(Find("SET k v").Has(CommandTraits.Write));
        Assert.True(Find("GET k").Has(CommandTraits.ReadOnly));
        Assert.True(Find("CONFIG SET a b").Has(CommandTraits.Admin));
        Assert.False(Find("CONFIG GET a").Has(CommandTraits.Write));
        Assert.True(Find("BLPOP k 0").Has(CommandTraits.Blocking));
        Assert.True(Find("SUBSCRIBE c").Has(CommandTraits.PubSub));
        Assert.Equal("config|set", Find("config set a b").Name);
        Assert.Equal(-3, Find("SET k v").Arity);
    }

    [Fact]
    public void An_unknown_command_is_not_found_and_an_unknown_subcommand_finds_its_container()
    {
        Assert.Null(redis.Table.Find(new TextArguments("NOSUCHCOMMAND x")));
        Assert.Equal("object", Find("OBJECT NOSUCH k").Name);
        Assert.True(redis.Table.Count > 200);
    }

    private CommandInfo Find(string command) => redis.Table.Find(new TextArguments(command))!;
}
