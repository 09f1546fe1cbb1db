using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Operations;

/// <summary>
/// CACHE_INVALIDATION=tracking: a key written in Redis, by anyone, is dropped from every proxy's cache, and a proxy
/// that loses its invalidation channel empties its cache rather than serve what may have changed.
/// </summary>
public sealed class CacheInvalidationTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_key_written_directly_in_Redis_is_served_new_by_every_tracking_proxy_while_one_without_tracking_keeps_the_old()
    {
        await using var proxies = await TrackedProxies.StartAsync("tracking", "tracking", "off");
        var (first, second, untracked) = (proxies.Proxies[0], proxies.Proxies[1], proxies.Proxies[2]);
        await first.WaitUntilInvalidationActiveAsync(Bounded);
        await second.WaitUntilInvalidationActiveAsync(Bounded);
        var key = ProxyApp.UniqueKey("coherent");
        await proxies.Backend.StringSetAsync(key, "old");
        foreach (var proxy in proxies.Proxies)
        {
            Assert.Equal((200, "old", "local"), await proxy.CacheAsync(key));
        }

        await proxies.Backend.StringSetAsync(key, "new");

        foreach (var proxy in new[] { first, second })
        {
            await Eventually.MatchesAsync(() => proxy.GetAsync(key), read => read.Value == "new", Bounded, "the tracking proxy to serve the new value");
        }

        // The control: without invalidation the seed's semantics hold and the entry lives until it expires.
        Assert.Equal((200, "old", "local"), await untracked.GetAsync(key));
    }

    [Fact]
    public async Task A_write_through_one_proxy_drops_the_key_from_the_other()
    {
        await using var proxies = await TrackedProxies.StartAsync("tracking", "tracking");
        var (writer, reader) = (proxies.Proxies[0], proxies.Proxies[1]);
        await writer.WaitUntilInvalidationActiveAsync(Bounded);
        await reader.WaitUntilInvalidationActiveAsync(Bounded);
        var key = ProxyApp.UniqueKey("through-proxy");
        await writer.PutAsync(key, "first");
        Assert.Equal((200, "first", "local"), await reader.CacheAsync(key));

        await writer.PutAsync(key, "second");

        await Eventually.MatchesAsync(() => reader.GetAsync(key), read => read.Value == "second", Bounded, "the other proxy to serve the write");
    }

    [Fact]
    public async Task Flushing_Redis_empties_every_tracking_cache()
    {
        await using var proxies = await TrackedProxies.StartAsync("tracking");
        var proxy = proxies.Proxies[0];
        await proxy.WaitUntilInvalidationActiveAsync(Bounded);
        var key = ProxyApp.UniqueKey("flushed");
        await proxies.Backend.StringSetAsync(key, "gone soon");
        await proxy.CacheAsync(key);
        Assert.Contains(key, await proxy.CachedKeysAsync());

        await proxies.BackendServer.FlushAllDatabasesAsync();

        await Eventually.MatchesAsync(proxy.CachedKeysAsync, keys => keys.Count == 0, Bounded, "the cache to be emptied");
        Assert.Equal(404, (await proxy.GetAsync(key)).Status);
    }

    [Fact]
    public async Task Losing_the_invalidation_connection_empties_the_cache_and_tracking_comes_back_by_itself()
    {
        await using var proxies = await TrackedProxies.StartAsync("tracking");
        var proxy = proxies.Proxies[0];
        await proxy.WaitUntilInvalidationActiveAsync(Bounded);
        var key = ProxyApp.UniqueKey("channel-lost");
        await proxies.Backend.StringSetAsync(key, "before");
        await proxy.CacheAsync(key);
        Assert.Contains(key, await proxy.CachedKeysAsync());

        // Kills the connection the invalidations arrive on.
        var channel = (await proxies.BackendServer.ClientListAsync()).Single(client => client.Name == "redisproxy-invalidation");
        await proxies.BackendServer.ExecuteAsync("CLIENT", "KILL", "ID", channel.Id);

        await Eventually.MatchesAsync(proxy.CachedKeysAsync, keys => !keys.Contains(key), Bounded, "the cache to be emptied");
        await proxy.WaitUntilInvalidationActiveAsync(TimeSpan.FromSeconds(15));
        Assert.Equal((200, "before", "local"), await proxy.CacheAsync(key));
        await proxies.Backend.StringSetAsync(key, "after");
        await Eventually.MatchesAsync(() => proxy.GetAsync(key), read => read.Value == "after", Bounded, "invalidations to flow again after re-arming");
    }
}
