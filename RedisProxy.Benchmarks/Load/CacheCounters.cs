using System.Text.Json;

namespace RedisProxy.Benchmarks.Load;

/// <summary>The proxy's hit and miss counters, read from its management port's <c>/status</c>.</summary>
internal readonly record struct CacheCounters(long Hits, long Misses)
{
    public static async Task<CacheCounters?> ReadAsync(HttpClient client, Uri? status)
    {
        if (status is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(await client.GetStringAsync(status));
        var cache = document.RootElement.GetProperty("cache");
        return new CacheCounters(cache.GetProperty("hits").GetInt64(), cache.GetProperty("misses").GetInt64());
    }

    /// <summary>Hits over lookups between two readings; null when either is missing or nothing was looked up.</summary>
    public static double? HitRatio(CacheCounters? before, CacheCounters? after)
    {
        if (before is not { } first || after is not { } last)
        {
            return null;
        }

        var lookups = last.Hits + last.Misses - first.Hits - first.Misses;
        return lookups == 0 ? null : Math.Round((double)(last.Hits - first.Hits) / lookups, 4);
    }
}
