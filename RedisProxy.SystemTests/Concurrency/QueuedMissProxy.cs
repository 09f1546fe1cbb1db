using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Concurrency;

/// <summary>One backend slot, room for many waiting misses and a generous timeout: to watch misses wait together.</summary>
public sealed class QueuedMissProxy : StandaloneProxy
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["MAX_CONCURRENT_REQUESTS"] = "1",
        ["MAX_QUEUED_REQUESTS"] = "50",
        ["BACKEND_TIMEOUT_MS"] = "10000",
    };
}
