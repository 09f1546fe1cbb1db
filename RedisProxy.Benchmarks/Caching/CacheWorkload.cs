using System.Text;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>
/// The keys and values every cache benchmark uses: 16-byte ASCII keys and 32-byte values, as a short Redis key
/// and a small value would be. Keys come as bytes (our cache and BitFaster) and as strings (MemoryCache keys are
/// objects compared by <c>Equals</c>, and a string is the usual content-compared key there).
/// </summary>
internal sealed class CacheWorkload
{
    public const int ValueBytes = 32;

    public CacheWorkload(int count, string prefix)
    {
        Strings = new string[count];
        Bytes = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            Strings[i] = $"{prefix}:{i:D11}";
            Bytes[i] = Encoding.ASCII.GetBytes(Strings[i]);
        }

        Value = new byte[ValueBytes];
        Random.Shared.NextBytes(Value);
    }

    public string[] Strings { get; }

    public byte[][] Bytes { get; }

    public byte[] Value { get; }

    /// <summary>A fixed pseudo-random order of key indexes, one sequence per thread, so every cache sees the same.</summary>
    public static int[][] RandomOrders(int threads, int length, int keyCount)
    {
        var orders = new int[threads][];
        for (var t = 0; t < threads; t++)
        {
            var random = new Random(42 + t);
            orders[t] = new int[length];
            for (var i = 0; i < length; i++)
            {
                orders[t][i] = random.Next(keyCount);
            }
        }

        return orders;
    }
}
