using RedisProxy.Api.Core;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Tests.Core;

/// <summary>A cached value never outlives its key in Redis: each entry lives until the earlier of CACHE_EXPIRY and the key's own TTL.</summary>
public sealed class KeyLifetimeTests : IDisposable
{
    private readonly CoreUnderTest _core = new(expirySeconds: 60);

    private FakeBackend Redis => _core.Backend;

    public void Dispose() => _core.Dispose();

    [Fact]
    public async Task A_key_read_through_with_a_TTL_is_cached_until_the_TTL_ends_and_no_longer()
    {
        Redis.Store("session", "alice", TimeSpan.FromSeconds(2));
        Assert.Equal(("alice", ReadSource.Redis), await _core.ReadAsync("session"));

        _core.Time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(("alice", ReadSource.Local), await _core.ReadAsync("session"));

        _core.Time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal((null, ReadSource.Redis), await _core.ReadAsync("session"));
    }

    [Fact]
    public async Task A_TTL_longer_than_the_cache_expiry_is_cut_to_the_expiry()
    {
        Redis.Store("k", "v", TimeSpan.FromHours(1));
        await _core.ReadAsync("k");

        _core.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(("v", ReadSource.Redis), await _core.ReadAsync("k"));
        Assert.Equal(2, Redis.Count("GET"));
    }

    [Fact]
    public async Task A_write_with_a_TTL_is_cached_until_its_TTL_ends()
    {
        await _core.WriteAsync("lock", "owner", TimeSpan.FromSeconds(5));
        Assert.Equal(("owner", ReadSource.Local), await _core.ReadAsync("lock"));

        _core.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal((null, ReadSource.Redis), await _core.ReadAsync("lock"));
    }

    [Fact]
    public async Task The_time_to_live_told_to_HTTP_clients_is_never_longer_than_the_key_lives_in_Redis()
    {
        Redis.Store("k", "v", TimeSpan.FromSeconds(10));

        var missed = await _core.Proxy.GetTimedAsync(FakeBackend.Bytes("k"), 0, FrontDoor.Http, CancellationToken.None);
        _core.Time.Advance(TimeSpan.FromSeconds(4));
        var hit = await _core.Proxy.GetTimedAsync(FakeBackend.Bytes("k"), 0, FrontDoor.Http, CancellationToken.None);

        Assert.Equal(ReadSource.Redis, missed.Read.Source);
        Assert.InRange(missed.TimeToLive, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10));
        Assert.Equal(ReadSource.Local, hit.Read.Source);
        Assert.InRange(hit.TimeToLive, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));
    }
}
