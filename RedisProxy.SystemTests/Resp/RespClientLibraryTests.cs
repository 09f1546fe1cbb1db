using System.Diagnostics;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Resp;

/// <summary>The RESP front door through real clients (StackExchange.Redis, redis-cli), over the whole AppHost.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class RespClientLibraryTests(DefaultProxyApp proxy) : IAsyncLifetime
{
    private ConnectionMultiplexer? _client;

    private IDatabase Db => _client!.GetDatabase();

    public async Task InitializeAsync() => _client = await proxy.ConnectClientAsync();

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Get_reads_through_to_Redis_once_then_answers_from_the_cache()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "value-1");
        var (hits, misses, backendGets) = (await proxy.InfoFieldAsync("cache_hits"), await proxy.InfoFieldAsync("cache_misses"), await proxy.BackendCallsAsync("get"));

        Assert.Equal("value-1", (string?)await Db.StringGetAsync(key));
        Assert.Equal("value-1", (string?)await Db.StringGetAsync(key));

        Assert.Equal(hits + 1, await proxy.InfoFieldAsync("cache_hits"));
        Assert.Equal(misses + 1, await proxy.InfoFieldAsync("cache_misses"));
        Assert.Equal(backendGets + 1, await proxy.BackendCallsAsync("get"));
        // The same cache serves the HTTP door.
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_key_Redis_lacks_is_null()
    {
        Assert.True((await Db.StringGetAsync(ProxyApp.UniqueKey())).IsNull);
    }

    [Fact]
    public async Task Mget_answers_hits_from_the_cache_and_fetches_every_miss_in_one_backend_round_trip()
    {
        var cached = ProxyApp.UniqueKey();
        var missA = ProxyApp.UniqueKey();
        var missB = ProxyApp.UniqueKey();
        var absent = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync([new(cached, "c"), new(missA, "a"), new(missB, "b")]);
        Assert.Equal("c", (string?)await Db.StringGetAsync(cached));
        var (mgets, gets) = (await proxy.BackendCallsAsync("mget"), await proxy.BackendCallsAsync("get"));

        var values = await Db.StringGetAsync([cached, missA, absent, missB, cached]);

        Assert.Equal(["c", "a", null, "b", "c"], values.Select(v => (string?)v));
        Assert.Equal(mgets + 1, await proxy.BackendCallsAsync("mget"));
        Assert.Equal(gets, await proxy.BackendCallsAsync("get"));

        // The misses were cached: asking again for the found keys never reaches Redis.
        Assert.Equal(["a", "b"], (await Db.StringGetAsync([missA, missB])).Select(v => (string?)v));
        Assert.Equal(mgets + 1, await proxy.BackendCallsAsync("mget"));
    }

    [Fact]
    public async Task A_pipelined_batch_of_a_thousand_gets_comes_back_in_order_with_the_right_values()
    {
        var keys = Enumerable.Range(0, 1000).Select(i => ProxyApp.UniqueKey($"batch{i}")).ToArray();
        await proxy.Backend.StringSetAsync([.. keys.Select((k, i) => new KeyValuePair<RedisKey, RedisValue>(k, $"value-{i}"))]);

        // Twice: first every read goes through to Redis, then every one is a cache hit.
        for (var round = 0; round < 2; round++)
        {
            var batch = Db.CreateBatch();
            var reads = keys.Select(k => batch.StringGetAsync(k)).ToArray();
            batch.Execute();
            var values = await Task.WhenAll(reads);

            Assert.Equal(keys.Select((_, i) => $"value-{i}"), values.Select(v => (string?)v));
        }
    }

    [Fact]
    public async Task Set_writes_through_to_Redis_and_the_cache_serves_the_new_value()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "old");
        Assert.Equal("old", (string?)await Db.StringGetAsync(key));

        Assert.True(await Db.StringSetAsync(key, "new"));

        Assert.Equal("new", (string?)await proxy.Backend.StringGetAsync(key));
        Assert.Equal("new", (string?)await Db.StringGetAsync(key));
        Assert.Equal("local", (await proxy.GetJsonAsync($"/{key}")).Body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Set_with_an_expiry_and_conditions_behaves_as_on_redis()
    {
        var key = ProxyApp.UniqueKey();

        // StackExchange.Redis sends an expiry as SETEX.
        Assert.True(await Db.StringSetAsync(key, "v", TimeSpan.FromSeconds(100)));
        Assert.InRange(await proxy.Backend.KeyTimeToLiveAsync(key) ?? TimeSpan.Zero, TimeSpan.FromSeconds(98), TimeSpan.FromSeconds(100));
        Assert.False(await Db.StringSetAsync(key, "other", when: When.NotExists));
        Assert.Equal("v", (string?)await Db.StringGetAsync(key));

        Assert.Equal("v", (string?)await Db.StringSetAndGetAsync(key, "w"));
        Assert.Equal("w", (string?)await proxy.Backend.StringGetAsync(key));
        Assert.Equal("w", (string?)await Db.StringGetAsync(key));
        Assert.True(await Db.StringSetAsync(key, "x", when: When.Exists));
        Assert.Equal("x", (string?)await Db.StringGetAsync(key));
    }

    [Fact]
    public async Task A_value_of_several_mebibytes_is_written_and_read_back_intact()
    {
        var key = ProxyApp.UniqueKey();
        var value = new byte[5 * 1024 * 1024];
        new Random(7).NextBytes(value);

        await Db.StringSetAsync(key, value);

        Assert.Equal(value, (byte[]?)await proxy.Backend.StringGetAsync(key));
        Assert.Equal(value, (byte[]?)await Db.StringGetAsync(key));
    }

    [Fact]
    public async Task Del_removes_keys_from_Redis_and_from_the_cache()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "doomed");
        Assert.Equal("doomed", (string?)await Db.StringGetAsync(key));

        Assert.Equal(1, await Db.KeyDeleteAsync([key, ProxyApp.UniqueKey()]));

        Assert.False(await proxy.Backend.KeyExistsAsync(key));
        Assert.True((await Db.StringGetAsync(key)).IsNull);
    }

    [Fact]
    public async Task Exists_counts_the_keys_Redis_has()
    {
        var present = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(present, "here");

        Assert.Equal(2, await Db.KeyExistsAsync([present, ProxyApp.UniqueKey(), present]));
    }

    [Fact]
    public async Task Exists_counts_hits_from_the_cache_and_every_miss_with_one_backend_exists()
    {
        var cached = ProxyApp.UniqueKey();
        var present = ProxyApp.UniqueKey();
        var list = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync([new(cached, "c"), new(present, "p")]);
        await proxy.Backend.ListLeftPushAsync(list, "item");
        Assert.Equal("c", (string?)await Db.StringGetAsync(cached));
        RedisKey[] keys = [cached, present, list, ProxyApp.UniqueKey(), present, cached];
        var (gets, mgets, exists) = (await proxy.BackendCallsAsync("get"), await proxy.BackendCallsAsync("mget"), await proxy.BackendCallsAsync("exists"));

        var counted = await Db.KeyExistsAsync(keys);

        Assert.Equal((gets, mgets, exists + 1), (await proxy.BackendCallsAsync("get"), await proxy.BackendCallsAsync("mget"), await proxy.BackendCallsAsync("exists")));
        // Redis's own count, the list and the key named twice included.
        Assert.Equal(5, counted);
        Assert.Equal(await proxy.Backend.KeyExistsAsync(keys), counted);
    }

    [Fact]
    public async Task A_key_of_another_type_gives_Redis_WRONGTYPE_error_and_the_connection_goes_on()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.ListLeftPushAsync(key, "item");

        var error = await Assert.ThrowsAsync<RedisServerException>(() => Db.StringGetAsync(key));

        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", error.Message);
        Assert.True((await Db.StringGetAsync(ProxyApp.UniqueKey())).IsNull);
    }

    [Fact]
    public async Task Redis_cli_gets_a_value_through_the_proxy()
    {
        var key = ProxyApp.UniqueKey();
        await proxy.Backend.StringSetAsync(key, "from redis-cli");
        var endpoint = proxy.RespEndpoint;

        using var cli = Process.Start(new ProcessStartInfo("redis-cli", ["-h", endpoint.Host, "-p", endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "GET", key])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, cli.ExitCode);
        Assert.Equal("from redis-cli", (await output).TrimEnd('\n'));
    }
}
