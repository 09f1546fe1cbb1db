namespace RedisProxy.Benchmarks.Load;

/// <summary>
/// Key indexes drawn from a Zipf distribution: index i (0-based) has weight 1/(i+1)^s. The cumulative weights are
/// computed once, so a draw is one binary search.
/// </summary>
internal sealed class ZipfKeys
{
    private readonly double[] _cumulative;

    public ZipfKeys(int keys, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keys, 1);
        _cumulative = new double[keys];
        var total = 0.0;
        for (var i = 0; i < keys; i++)
        {
            total += 1.0 / Math.Pow(i + 1, exponent);
            _cumulative[i] = total;
        }

        for (var i = 0; i < keys; i++)
        {
            _cumulative[i] /= total;
        }
    }

    public int Count => _cumulative.Length;

    public int Next(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
