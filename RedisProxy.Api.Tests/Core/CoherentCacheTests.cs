using System.Text;
using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Core;

namespace RedisProxy.Api.Tests.Core;

/// <summary>The change fence: a value read or written before a change of its own key never enters the cache after it.</summary>
public sealed class CoherentCacheTests
{
    private readonly CoherentCache _cache = new(new LruCache(3, TimeSpan.FromSeconds(10), new FakeTimeProvider()));

    [Fact]
    public void A_read_that_started_before_a_write_is_not_cached()
    {
        var version = _cache.Version;
        Write("a", "written");

        _cache.AdmitRead(_cache.CreateEntry("a"u8, 0, "stale read"u8), version);

        Assert.Equal("written", Get("a"));
    }

    [Fact]
    public void A_read_that_started_before_an_invalidation_is_not_cached()
    {
        var version = _cache.Version;
        _cache.Invalidate("a"u8);

        _cache.AdmitRead(_cache.CreateEntry("a"u8, 0, "stale read"u8), version);

        Assert.Null(Get("a"));
    }

    [Fact]
    public void A_write_nothing_overtook_is_cached()
    {
        Write("a", "old");
        var version = _cache.Version;

        Assert.True(_cache.AdmitWrite(_cache.CreateEntry("a"u8, 0, "new"u8), version));

        Assert.Equal("new", Get("a"));
    }

    [Theory]
    [InlineData("another write of the key")]
    [InlineData("an invalidation of the key")]
    [InlineData("a clear")]
    [InlineData("more changes of other keys than the fence remembers")]
    public void A_write_overtaken_while_in_flight_drops_the_key_instead_of_caching_a_value_Redis_may_no_longer_hold(string overtakenBy)
    {
        Write("a", "old");
        Write("b", "b");
        var version = _cache.Version;
        switch (overtakenBy)
        {
            case "another write of the key":
                Write("a", "other");
                break;
            case "an invalidation of the key":
                _cache.Invalidate("a"u8);
                break;
            case "a clear":
                _cache.InvalidateAll();
                break;
            default:
                for (var i = 0; i < KeyFence.RememberedChanges + 1; i++)
                {
                    _cache.Invalidate(Encoding.ASCII.GetBytes($"other{i}"));
                }

                break;
        }

        Assert.False(_cache.AdmitWrite(_cache.CreateEntry("a"u8, 0, "new"u8), version));

        Assert.Null(Get("a"));
    }

    [Theory]
    [InlineData("a write")]
    [InlineData("an invalidation")]
    public void Reads_and_writes_in_flight_are_cached_when_only_other_keys_changed_meanwhile(string change)
    {
        Write("b", "b");
        var version = _cache.Version;
        if (change == "a write")
        {
            Write("c", "c");
        }
        else
        {
            _cache.Invalidate("b"u8);
        }

        _cache.AdmitRead(_cache.CreateEntry("read"u8, 0, "read"u8), version);
        Assert.True(_cache.AdmitWrite(_cache.CreateEntry("written"u8, 0, "written"u8), version));

        Assert.Equal("read", Get("read"));
        Assert.Equal("written", Get("written"));
    }

    [Fact]
    public void An_overtaken_write_still_keeps_reads_that_started_before_it_out_of_the_cache()
    {
        var before = _cache.Version;
        _cache.Invalidate("a"u8);
        var readStarted = _cache.Version;

        _cache.AdmitWrite(_cache.CreateEntry("a"u8, 0, "new"u8), before);

        _cache.AdmitRead(_cache.CreateEntry("a"u8, 0, "stale read"u8), readStarted);
        Assert.Null(Get("a"));
    }

    private void Write(string key, string value) =>
        _cache.AdmitWrite(_cache.CreateEntry(Encoding.UTF8.GetBytes(key), 0, Encoding.UTF8.GetBytes(value)), _cache.Version);

    private string? Get(string key) =>
        _cache.TryGet(Encoding.UTF8.GetBytes(key), 0, out var value) ? Encoding.UTF8.GetString(value.Span) : null;
}
