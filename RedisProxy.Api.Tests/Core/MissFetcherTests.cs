namespace RedisProxy.Api.Tests.Core;

/// <summary>Misses that have to wait for a backend slot wait together and are read with one MGET.</summary>
public sealed class MissFetcherTests
{
    private static readonly string[] WaitingKeys = ["b", "c", "d"];

    [Fact]
    public async Task Misses_waiting_for_a_slot_share_one_MGET_and_each_gets_its_own_value()
    {
        using var core = new CoreUnderTest(slots: 1, queued: 10);
        core.Backend.Store("b", "2");
        core.Backend.Store("d", "4");
        core.Backend.HoldReplies();
        var holding = core.ReadAsync("a");

        var waiting = WaitingKeys.Select(key => core.ReadAsync(key)).ToArray();
        core.Backend.ReleaseReplies();

        Assert.Null((await holding).Value);
        Assert.Equal(["2", null, "4"], (await Task.WhenAll(waiting)).Select(read => read.Value));
        Assert.Equal(["GET a", "MGET b c d", "EXISTS c"], core.Backend.Commands);
        Assert.True(core.IsCached("b"));
        Assert.True(core.IsCached("d"));
    }
}
