using RedisProxy.Api.Core;
using RedisProxy.Api.Failures;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Tests.Core;

/// <summary>The core's coherence with Redis: single-flight reads, the change fence, invalidation during reads.</summary>
public sealed class CachingProxyTests : IDisposable
{
    private readonly CoreUnderTest _core = new();

    private FakeBackend Redis => _core.Backend;

    public void Dispose() => _core.Dispose();

    [Fact]
    public async Task A_miss_reads_through_and_the_next_read_is_a_hit()
    {
        Redis.Store("k", "v");

        Assert.Equal(("v", ReadSource.Redis), await _core.ReadAsync("k"));
        Assert.Equal(("v", ReadSource.Local), await _core.ReadAsync("k"));
        Assert.Equal(1, Redis.Count("GET"));
    }

    [Fact]
    public async Task An_absent_key_is_not_cached()
    {
        Assert.Equal((null, ReadSource.Redis), await _core.ReadAsync("absent"));
        Assert.Equal((null, ReadSource.Redis), await _core.ReadAsync("absent"));
        Assert.Equal(2, Redis.Count("GET"));
    }

    [Fact]
    public async Task Concurrent_misses_of_one_key_share_a_single_backend_read()
    {
        Redis.Store("k", "v");
        Redis.HoldReplies();

        var reads = Enumerable.Range(0, 5).Select(_ => _core.ReadAsync("k")).ToArray();
        Redis.ReleaseReplies();

        Assert.All(await Task.WhenAll(reads), read => Assert.Equal(("v", ReadSource.Redis), read));
        Assert.Equal(1, Redis.Count("GET"));
    }

    [Theory]
    [InlineData("an invalidation")]
    [InlineData("a clear")]
    public async Task A_read_that_starts_after_an_invalidation_or_a_clear_never_gets_the_value_from_before_it(string change)
    {
        Redis.Store("k", "old");
        Redis.HoldReplies();
        var before = _core.ReadAsync("k");

        // Changed in Redis behind the proxy's back; tracking reports the key, or that everything may have changed.
        Redis.Store("k", "new");
        if (change == "a clear")
        {
            _core.Proxy.Clear();
        }
        else
        {
            _core.Proxy.Invalidate(FakeBackend.Bytes("k"));
        }

        var after = _core.ReadAsync("k");
        Redis.ReleaseReplies();

        Assert.Equal("old", (await before).Value);
        Assert.Equal("new", (await after).Value);
        Assert.Equal(("new", ReadSource.Local), await _core.ReadAsync("k"));
    }

    [Fact]
    public async Task A_read_that_starts_after_a_write_gets_the_written_value_and_the_older_read_is_not_cached()
    {
        Redis.Store("k", "old");
        Redis.HoldReplies();
        var before = _core.ReadAsync("k");
        Redis.ReleaseReplies();
        await _core.WriteAsync("k", "new");
        var after = await _core.ReadAsync("k");

        Assert.Equal("old", (await before).Value);
        Assert.Equal(("new", ReadSource.Local), after);
    }

    [Fact]
    public async Task A_read_in_flight_across_a_write_of_its_key_is_not_cached()
    {
        Redis.Store("k", "old");
        Redis.HoldReplies();
        var read = _core.ReadAsync("k");

        // The write completes first; the read, sent before it, completes after with the old value.
        var write = Task.Run(() => _core.WriteAsync("k", "new"));
        await Eventually(() => Redis.Stored("k") == "new");
        Redis.ReleaseReplies();
        await write;

        Assert.Equal("old", (await read).Value);
        Assert.Equal(("new", ReadSource.Local), await _core.ReadAsync("k"));
    }

    [Fact]
    public async Task A_delete_drops_the_key_and_reports_how_many_Redis_removed()
    {
        Redis.Store("a", "1");
        await _core.ReadAsync("a");

        var removed = await _core.Proxy.DeleteAsync([FakeBackend.Bytes("a"), FakeBackend.Bytes("b")], 0, FrontDoor.Resp, CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.False(_core.IsCached("a"));
        Assert.Equal((null, ReadSource.Redis), await _core.ReadAsync("a"));
    }

    [Fact]
    public async Task A_write_that_fails_drops_the_key_because_it_may_still_reach_Redis()
    {
        Redis.Store("k", "old");
        await _core.ReadAsync("k");
        Redis.Failure = new BackendTimeoutException("the backend did not answer in time");

        await Assert.ThrowsAsync<BackendTimeoutException>(() => _core.WriteAsync("k", "new"));

        Assert.False(_core.IsCached("k"));
    }

    [Fact]
    public async Task A_backend_failure_reaches_every_reader_of_the_shared_read_and_nothing_is_cached()
    {
        Redis.Store("k", "v");
        Redis.Failure = new BackendUnavailableException("the backend is unreachable");

        var reads = Enumerable.Range(0, 3).Select(_ => _core.ReadAsync("k")).ToArray();

        foreach (var read in reads)
        {
            await Assert.ThrowsAsync<BackendUnavailableException>(() => read);
        }

        Assert.False(_core.IsCached("k"));
        Redis.Failure = null;
        Assert.Equal(("v", ReadSource.Redis), await _core.ReadAsync("k"));
    }

    [Fact]
    public async Task A_batch_read_takes_hits_from_the_cache_and_every_miss_in_one_MGET()
    {
        Redis.Store("a", "1");
        Redis.Store("b", "2");
        await _core.ReadAsync("a");

        var reads = await _core.Proxy.GetManyAsync([FakeBackend.Bytes("a"), FakeBackend.Bytes("b"), FakeBackend.Bytes("c")], 0, FrontDoor.Resp, CancellationToken.None);

        Assert.Equal([ReadSource.Local, ReadSource.Redis, ReadSource.Redis], reads.Select(r => r.Source));
        Assert.Equal([true, true, false], reads.Select(r => r.Found));
        Assert.Equal(["MGET b c"], Redis.Commands.Where(c => c.StartsWith("MGET", StringComparison.Ordinal)));
        Assert.True(_core.IsCached("b"));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(1, timeout.Token);
        }
    }
}
