namespace RedisProxy.Benchmarks.Load;

/// <summary>
/// Reads of keys count-1 down to 0, each once: through the proxy, this leaves the hottest keys the most recently
/// used, close to the cache's steady state under the Zipf load, without the many seconds of misses a cold start takes.
/// </summary>
internal sealed class PrefillOperations(int count) : IOperationSource
{
    private int _next = count;

    public bool TryNext(int stream, out Operation operation)
    {
        var key = Interlocked.Decrement(ref _next);
        operation = new Operation(key, Write: false);
        return key >= 0;
    }
}
