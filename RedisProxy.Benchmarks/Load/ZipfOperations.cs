namespace RedisProxy.Benchmarks.Load;

/// <summary>Reads and writes of Zipf-distributed keys, writes in the given percentage; one seeded generator per stream.</summary>
internal sealed class ZipfOperations(ZipfKeys keys, int writePercent, int streams, int seed) : IOperationSource
{
    private readonly Random[] _random = [.. Enumerable.Range(0, streams).Select(stream => new Random(seed + stream))];

    public bool TryNext(int stream, out Operation operation)
    {
        var random = _random[stream];
        var write = random.Next(100) < writePercent;
        operation = new Operation(keys.Next(random), write);
        return true;
    }
}
