using RedisProxy.Api.Core;
using RedisProxy.Api.Failures;

namespace RedisProxy.Api.Tests.Core;

/// <summary>MAX_CONCURRENT_REQUESTS slots and a MAX_QUEUED_REQUESTS queue in front of them; beyond both, a refusal at once.</summary>
public sealed class BackendGateTests
{
    [Fact]
    public async Task A_request_beyond_the_slots_and_the_queue_is_refused_at_once_and_the_queued_one_is_served()
    {
        using var core = new CoreUnderTest(slots: 1, queued: 1);
        core.Backend.Store("a", "1");
        core.Backend.Store("b", "2");
        core.Backend.HoldReplies();

        var holding = core.ReadAsync("a");
        var waiting = core.ReadAsync("b");
        var refused = core.ReadAsync("c");

        await Assert.ThrowsAsync<ProxyOverloadedException>(() => refused);
        Assert.Equal(1, core.Gate.InFlight);
        Assert.Equal(1, core.Gate.Queued);
        Assert.Equal(1, core.Gate.Rejected);

        core.Backend.ReleaseReplies();
        Assert.Equal("1", (await holding).Value);
        Assert.Equal("2", (await waiting).Value);
        Assert.Equal(0, core.Gate.Queued);
        Assert.Equal(0, core.Gate.InFlight);
    }

    [Fact]
    public async Task A_request_that_waits_longer_than_the_backend_timeout_for_a_slot_is_refused()
    {
        using var core = new CoreUnderTest(slots: 1, queued: 10, timeoutMilliseconds: 100);
        core.Backend.HoldReplies();
        var holding = core.ReadAsync("a");

        var waiting = core.WriteAsync("b", "v");

        var refusal = await Assert.ThrowsAsync<ProxyOverloadedException>(() => waiting);
        Assert.Contains("no backend slot became free in time", refusal.Message, StringComparison.Ordinal);
        Assert.Null(core.Backend.Stored("b"));
        core.Backend.ReleaseReplies();
        await holding;
    }

    [Fact]
    public async Task Cache_hits_never_wait_for_a_slot()
    {
        using var core = new CoreUnderTest(slots: 1, queued: 0);
        core.Backend.Store("hit", "v");
        await core.ReadAsync("hit");
        core.Backend.HoldReplies();
        var holding = core.ReadAsync("miss");

        Assert.Equal(("v", Api.Core.ReadSource.Local), await core.ReadAsync("hit"));

        core.Backend.ReleaseReplies();
        await holding;
    }
}
