using System.Text;
using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Core;

namespace RedisProxy.Api.Tests.Core;

/// <summary>Only keys whose changes Redis reports may enter the cache: those of primaries with an armed invalidation channel.</summary>
public sealed class CacheCoverageTests
{
    private readonly CoherentCache _cache = new(new LruCache(10, TimeSpan.FromSeconds(10), new FakeTimeProvider()));

    [Fact]
    public void A_key_of_an_uncovered_slot_is_not_cached_but_one_of_a_covered_slot_is()
    {
        var (covered, uncovered) = ("{a}x", "{b}x");
        _cache.Cover(CacheCoverage.OfSlots([(SlotOf(covered), SlotOf(covered))]));

        Write(covered, "1");
        Write(uncovered, "2");

        Assert.Equal("1", Get(covered));
        Assert.Null(Get(uncovered));
    }

    [Fact]
    public void Losing_cover_empties_the_cache()
    {
        Write("a", "1");

        Assert.True(_cache.Cover(CacheCoverage.Nothing));

        Assert.Null(Get("a"));
        Write("a", "2");
        Assert.Null(Get("a"));
    }

    [Fact]
    public void Gaining_cover_keeps_out_what_reads_in_flight_carry()
    {
        _cache.Cover(CacheCoverage.Nothing);
        var readStarted = _cache.Version;

        _cache.Cover(CacheCoverage.Everything);

        // Read while nobody reported changes: it may be older than a write that went unseen.
        _cache.AdmitRead(_cache.CreateEntry("a"u8, 0, "maybe stale"u8), readStarted);
        Assert.Null(Get("a"));
        Write("a", "fresh");
        Assert.Equal("fresh", Get("a"));
    }

    [Fact]
    public void Setting_the_same_cover_again_changes_nothing()
    {
        Write("a", "1");

        Assert.False(_cache.Cover(CacheCoverage.Everything));
        Assert.False(_cache.Cover(CacheCoverage.OfSlots([(0, 9999), (10000, HashSlot.Count - 1)])));
        Assert.Equal("1", Get("a"));
    }

    [Fact]
    public void Coverage_compares_by_slot()
    {
        var some = CacheCoverage.OfSlots([(0, 99), (200, 299)]);

        Assert.True(CacheCoverage.Nothing.IsWithin(some));
        Assert.True(some.IsWithin(CacheCoverage.Everything));
        Assert.False(CacheCoverage.Everything.IsWithin(some));
        Assert.False(some.IsWithin(CacheCoverage.OfSlots([(0, 99)])));
        Assert.True(CacheCoverage.OfSlots([(0, 99)]).IsWithin(some));
        Assert.Equal(some, CacheCoverage.OfSlots([(200, 299), (0, 99)]));
        Assert.True(CacheCoverage.OfSlots([]).IsNothing);
    }

    private static int SlotOf(string key) => HashSlot.Of(Encoding.UTF8.GetBytes(key));

    private void Write(string key, string value) =>
        _cache.AdmitWrite(_cache.CreateEntry(Encoding.UTF8.GetBytes(key), 0, Encoding.UTF8.GetBytes(value)), _cache.Version);

    private string? Get(string key) =>
        _cache.TryGet(Encoding.UTF8.GetBytes(key), 0, out var value) ? Encoding.UTF8.GetString(value.Span) : null;
}
