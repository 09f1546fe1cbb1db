using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Conformance;

/// <summary>
/// The proxy over one redis-server, and a second redis-server, the reference, that the same commands go to directly.
/// A cache of 32 entries, so evictions happen among the writes.
/// </summary>
public sealed class DifferentialProxy : StandaloneProxy
{
    public RedisServerProcess Reference { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["CACHE_CAPACITY"] = "32",
        // Replies are compared, not timed: a busy machine must not turn into timeouts.
        ["BACKEND_TIMEOUT_MS"] = "10000",
    };

    public override async Task InitializeAsync()
    {
        await Reference.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Reference.DisposeAsync();
    }
}
