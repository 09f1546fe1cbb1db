using StackExchange.Redis;

namespace RedisProxy.SystemTests.Clients;

/// <summary>StackExchange.Redis pointed at the proxy as at Redis: batches, hashes, counters, expiry, scripts, databases.</summary>
public sealed class StackExchangeRedisTests(ClientsProxy proxy) : IClassFixture<ClientsProxy>, IAsyncLifetime
{
    private ConnectionMultiplexer? _client;
    private ConnectionMultiplexer? _redis;

    private IDatabase Db => _client!.GetDatabase();

    private IDatabase Redis => _redis!.GetDatabase();

    public async Task InitializeAsync()
    {
        _client = await ConnectionMultiplexer.ConnectAsync(proxy.ConnectionString);
        _redis = await ConnectionMultiplexer.ConnectAsync(proxy.Redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        _redis?.Dispose();
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_batch_of_mixed_commands_is_answered_in_order()
    {
        var key = Key();
        var batch = Db.CreateBatch();
        var set = batch.StringSetAsync(key, "1");
        var incremented = batch.StringIncrementAsync(key, 41);
        var read = batch.StringGetAsync(key);
        var pushed = batch.ListRightPushAsync(key + ":list", ["a", "b"]);
        var length = batch.ListLengthAsync(key + ":list");
        batch.Execute();

        Assert.True(await set);
        Assert.Equal(42, await incremented);
        Assert.Equal("42", (string?)await read);
        Assert.Equal(2, await pushed);
        Assert.Equal(2, await length);
    }

    [Fact]
    public async Task Hashes_and_counters_are_kept_in_redis()
    {
        var key = Key();
        await Db.HashSetAsync(key, [new("name", "alice"), new("visits", 1)]);
        Assert.Equal(5, await Db.HashIncrementAsync(key, "visits", 4));
        Assert.Equal("alice", (string?)await Db.HashGetAsync(key, "name"));
        Assert.Equal(2, (await Db.HashGetAllAsync(key)).Length);
        Assert.Equal("5", (string?)await Redis.HashGetAsync(key, "visits"));

        Assert.Equal(-3, await Db.StringDecrementAsync(key + ":n", 3));
        Assert.Equal(-0.5, await Db.StringIncrementAsync(key + ":n", 2.5));
    }

    [Fact]
    public async Task A_counter_read_through_the_cache_follows_every_increment()
    {
        var key = Key();
        await Db.StringSetAsync(key, "10");
        Assert.Equal("10", (string?)await Db.StringGetAsync(key));

        for (var expected = 11; expected <= 15; expected++)
        {
            await Db.StringIncrementAsync(key);
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)await Db.StringGetAsync(key));
        }
    }

    [Fact]
    public async Task Expiry_set_and_removed_through_the_proxy_is_what_redis_holds()
    {
        var key = Key();
        await Db.StringSetAsync(key, "v");
        Assert.Equal("v", (string?)await Db.StringGetAsync(key));

        Assert.True(await Db.KeyExpireAsync(key, TimeSpan.FromSeconds(100)));
        Assert.InRange(await Db.KeyTimeToLiveAsync(key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(98), TimeSpan.FromSeconds(100));
        Assert.True(await Db.KeyPersistAsync(key));
        Assert.Null(await Redis.KeyTimeToLiveAsync(key));
        Assert.Equal("v", (string?)await Db.StringGetAsync(key));
    }

    [Fact]
    public async Task A_script_that_writes_a_key_drops_it_from_the_cache()
    {
        var key = Key();
        await Db.StringSetAsync(key, "before");
        Assert.Equal("before", (string?)await Db.StringGetAsync(key));

        await Db.ScriptEvaluateAsync("return redis.call('SET', KEYS[1], ARGV[1])", [key], ["after"]);

        Assert.Equal("after", (string?)await Db.StringGetAsync(key));
    }

    [Fact]
    public async Task Databases_other_than_0_are_served_and_kept_apart()
    {
        var key = Key();
        await _client!.GetDatabase(0).StringSetAsync(key, "zero");
        await _client.GetDatabase(3).StringSetAsync(key, "three");

        Assert.Equal("zero", (string?)await _client.GetDatabase(0).StringGetAsync(key));
        Assert.Equal("three", (string?)await _client.GetDatabase(3).StringGetAsync(key));
        Assert.Equal("three", (string?)await _redis!.GetDatabase(3).StringGetAsync(key));
    }

    private static string Key() => $"se-{Guid.NewGuid():N}";
}
