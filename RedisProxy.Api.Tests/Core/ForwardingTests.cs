using System.Collections.Frozen;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Commands;
using RedisProxy.Api.Core;
using RedisProxy.Api.Tests.Commands;
using StackExchange.Redis;

namespace RedisProxy.Api.Tests.Core;

/// <summary>A forwarded command drops what it may change from the cache before its reply goes out.</summary>
public sealed class ForwardingTests : IDisposable
{
    private static readonly CommandInfo Append = new(
        "append", -3, CommandTraits.Write,
        [new KeySpec(KeySpecFlags.Writes, new BeginSearch.Index(1), new FindKeys.Range(0, 1, 0))],
        (1, 1, 1), FrozenDictionary<string, CommandInfo>.Empty);

    private static readonly CommandInfo FlushAll = new("flushall", -1, CommandTraits.Write, [], (0, 0, 0), FrozenDictionary<string, CommandInfo>.Empty);

    private readonly CoreUnderTest _core = new();

    private FakeBackend Redis => _core.Backend;

    public void Dispose() => _core.Dispose();

    [Fact]
    public async Task A_forwarded_write_drops_its_key_so_the_next_read_gets_what_Redis_holds()
    {
        Redis.Store("k", "a");
        await _core.ReadAsync("k");

        using (await ForwardAsync("APPEND k b", Append))
        {
            Assert.False(_core.IsCached("k"));
        }

        Assert.Equal(("ab", ReadSource.Redis), await _core.ReadAsync("k"));
    }

    [Fact]
    public async Task A_read_in_flight_across_a_forwarded_write_of_its_key_is_not_cached()
    {
        Redis.Store("k", "a");
        Redis.HoldReplies();
        var read = _core.ReadAsync("k");
        var write = ForwardAsync("APPEND k b", Append);
        Redis.ReleaseReplies();
        (await write).Dispose();

        Assert.Equal("a", (await read).Value);
        Assert.Equal(("ab", ReadSource.Redis), await _core.ReadAsync("k"));
    }

    [Fact]
    public async Task A_write_that_names_no_keys_empties_the_cache()
    {
        Redis.Store("a", "1");
        Redis.Store("b", "2");
        await _core.ReadAsync("a");
        await _core.ReadAsync("b");

        (await ForwardAsync("FLUSHALL", FlushAll)).Dispose();

        Assert.Equal(0, _core.Proxy.CachedKeys);
        Assert.Equal((null, ReadSource.Redis), await _core.ReadAsync("a"));
    }

    [Fact]
    public async Task A_command_the_backend_does_not_know_and_refuses_leaves_the_cache_alone()
    {
        Redis.Store("a", "1");
        await _core.ReadAsync("a");

        using var reply = await ForwardAsync("NOSUCH a", command: null);

        Assert.StartsWith("ERR unknown command", reply.Error, StringComparison.Ordinal);
        Assert.True(_core.IsCached("a"));
    }

    private Task<ForwardedReply> ForwardAsync(string line, CommandInfo? command) =>
        _core.Proxy.ForwardAsync(ForwardedCommand.From(new TextArguments(line), command), 0, RedisProtocol.Resp2, CancellationToken.None);
}
