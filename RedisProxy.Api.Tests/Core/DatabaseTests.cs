using RedisProxy.Api.Core;

namespace RedisProxy.Api.Tests.Core;

/// <summary>The cache is keyed by database as well as key (SELECT), and an invalidation, which names no database, covers all.</summary>
public sealed class DatabaseTests : IDisposable
{
    private readonly CoreUnderTest _core = new();

    private FakeBackend Redis => _core.Backend;

    public void Dispose() => _core.Dispose();

    [Fact]
    public async Task The_same_key_in_two_databases_is_two_entries()
    {
        Redis.Store("k", "zero");
        Redis.Store("k", "one", database: 1);

        Assert.Equal(("zero", ReadSource.Redis), await _core.ReadAsync("k", 0));
        Assert.Equal(("one", ReadSource.Redis), await _core.ReadAsync("k", 1));
        Assert.Equal(("zero", ReadSource.Local), await _core.ReadAsync("k", 0));
        Assert.Equal(("one", ReadSource.Local), await _core.ReadAsync("k", 1));
    }

    [Fact]
    public async Task A_write_in_one_database_leaves_the_other_databases_entries()
    {
        Redis.Store("k", "zero");
        await _core.ReadAsync("k", 0);

        await _core.WriteAsync("k", "three", database: 3);

        Assert.Equal(("zero", ReadSource.Local), await _core.ReadAsync("k", 0));
        Assert.Equal(("three", ReadSource.Local), await _core.ReadAsync("k", 3));
        Assert.Equal("three", Redis.Stored("k", database: 3));
    }

    [Fact]
    public async Task An_invalidation_drops_the_key_in_every_database()
    {
        Redis.Store("k", "zero");
        Redis.Store("k", "five", database: 5);
        await _core.ReadAsync("k", 0);
        await _core.ReadAsync("k", 5);

        _core.Proxy.Invalidate(FakeBackend.Bytes("k"));

        Assert.False(_core.IsCached("k", 0));
        Assert.False(_core.IsCached("k", 5));
    }

    [Fact]
    public async Task Misses_of_one_key_in_two_databases_are_two_backend_reads()
    {
        Redis.Store("k", "zero");
        Redis.Store("k", "one", database: 1);
        Redis.HoldReplies();

        var zero = _core.ReadAsync("k", 0);
        var one = _core.ReadAsync("k", 1);
        Redis.ReleaseReplies();

        Assert.Equal("zero", (await zero).Value);
        Assert.Equal("one", (await one).Value);
        Assert.Equal(["GET k", "GET k @1"], Redis.Commands);
    }
}
