using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Caching;

namespace RedisProxy.Api.Tests.Caching;

/// <summary>
/// Random operation sequences run against the cache and against a deliberately naive reference model (a list in
/// recency order with timestamps); after every step both must agree on every answer and on the key order.
/// </summary>
public sealed class LruCacheModelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 7)]
    [InlineData(8, 20)]
    [InlineData(64, 100)]
    public void The_cache_behaves_like_the_reference_model(int capacity, int keySpace)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            Run(capacity, keySpace, seed, steps: 2000, maxBytes: 0);
        }
    }

    [Theory]
    [InlineData(3, 7, 12)]
    [InlineData(64, 100, 40)]
    [InlineData(64, 100, 300)]
    public void The_cache_with_a_byte_budget_behaves_like_the_reference_model(int capacity, int keySpace, long maxBytes)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            Run(capacity, keySpace, seed, steps: 2000, maxBytes);
        }
    }

    private static void Run(int capacity, int keySpace, int seed, int steps, long maxBytes)
    {
        var random = new Random(seed);
        var time = new FakeTimeProvider();
        var expiry = TimeSpan.FromSeconds(5);
        var cache = new LruCache(capacity, expiry, time, maxBytes);
        var model = new ReferenceLru(capacity, expiry, maxBytes);

        for (var step = 0; step < steps; step++)
        {
            var key = $"k{random.Next(keySpace)}";
            var context = $"capacity {capacity}, seed {seed}, step {step}";
            switch (random.Next(10))
            {
                case < 5:
                    Assert.True(model.Get(key, time.GetUtcNow()) == LruCacheTests.Get(cache, key), context);
                    break;
                case < 8:
                    // Values of varied length, so a byte budget evicts a varying number of entries.
                    var value = new string('v', random.Next(0, 12)) + step;
                    LruCacheTests.Set(cache, key, value);
                    model.Set(key, value, time.GetUtcNow());
                    break;
                case 8:
                    Assert.True(model.Remove(key) == cache.Remove(System.Text.Encoding.UTF8.GetBytes(key)), context);
                    break;
                default:
                    time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 1500)));
                    break;
            }

            Assert.True(model.Keys(time.GetUtcNow()).SequenceEqual(LruCacheTests.Keys(cache)), context);
        }
    }

    /// <summary>The obvious, slow implementation: a list, least recently used first.</summary>
    private sealed class ReferenceLru(int capacity, TimeSpan expiry, long maxBytes)
    {
        private readonly List<(string Key, string Value, DateTimeOffset CachedAt)> _entries = [];

        public string? Get(string key, DateTimeOffset now)
        {
            var index = _entries.FindIndex(e => e.Key == key);
            if (index < 0)
            {
                return null;
            }

            var entry = _entries[index];
            _entries.RemoveAt(index);
            if (now - entry.CachedAt >= expiry)
            {
                return null;
            }

            _entries.Add(entry);
            return entry.Value;
        }

        public void Set(string key, string value, DateTimeOffset now)
        {
            var index = _entries.FindIndex(e => e.Key == key);
            if (index >= 0)
            {
                _entries.RemoveAt(index);
            }

            if (maxBytes > 0 && Size(key, value) > maxBytes)
            {
                return;
            }

            if (_entries.Count >= capacity)
            {
                _entries.RemoveAt(0);
            }

            _entries.Add((key, value, now));
            while (maxBytes > 0 && _entries.Sum(e => Size(e.Key, e.Value)) > maxBytes)
            {
                _entries.RemoveAt(0);
            }
        }

        private static int Size(string key, string value) =>
            System.Text.Encoding.UTF8.GetByteCount(key) + System.Text.Encoding.UTF8.GetByteCount(value);

        public bool Remove(string key) => _entries.RemoveAll(e => e.Key == key) > 0;

        public IEnumerable<string> Keys(DateTimeOffset now)
        {
            _entries.RemoveAll(e => now - e.CachedAt >= expiry);
            return _entries.Select(e => e.Key);
        }
    }
}
