using System.Globalization;
using System.Text;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Core;

namespace RedisProxy.Benchmarks.Caching;

/// <summary>
/// Fills each cache with one million entries of 16-byte keys and 32-byte values and prints what the heap holds
/// per entry beyond those 48 bytes of key and value (array headers, nodes, index slots), and what filling it
/// allocated per entry. The numbers come from the GC's own counters after a full collection.
/// </summary>
internal static class MemoryPerEntry
{
    private const int Entries = 1_000_000;
    private const int KeyBytes = 16;
    private const int PayloadBytes = KeyBytes + CacheWorkload.ValueBytes;

    public static void Run()
    {
        Console.WriteLine($"Memory per entry, {Entries:N0} entries of {KeyBytes}-byte keys and {CacheWorkload.ValueBytes}-byte values ({PayloadBytes} B of payload each)");
        Console.WriteLine($"{"Cache",-24} {"Retained B/entry",17} {"Beyond payload",15} {"Allocated B/entry",18}");
        Print("LruCache", Measure(FillLruCache));
        Print("BitFaster ConcurrentLru", Measure(FillConcurrentLru));
        Print("MemoryCache", Measure(FillMemoryCache));
    }

    private static (double Retained, double Allocated) Measure(Func<object> fill)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cache = fill();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(cache);
        return ((double)retained / Entries, (double)allocated / Entries);
    }

    private static void Print(string name, (double Retained, double Allocated) perEntry) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-24} {perEntry.Retained,17:F1} {perEntry.Retained - PayloadBytes,15:F1} {perEntry.Allocated,18:F1}"));

    private static LruCache FillLruCache()
    {
        var cache = new LruCache(Entries, TimeSpan.FromHours(1), TimeProvider.System);
        Span<byte> key = stackalloc byte[KeyBytes];
        var value = new byte[CacheWorkload.ValueBytes];
        for (var i = 0; i < Entries; i++)
        {
            WriteKey(i, key);
            cache.Set(cache.CreateEntry(key, value));
        }

        return cache;
    }

    // BitFaster keeps the arrays it is given, so each entry owns a key array and a value array.
    private static ConcurrentLru<byte[], byte[]> FillConcurrentLru()
    {
        var cache = new ConcurrentLru<byte[], byte[]>(Environment.ProcessorCount, Entries, ByteArrayKeyComparer.Instance);
        for (var i = 0; i < Entries; i++)
        {
            var key = new byte[KeyBytes];
            WriteKey(i, key);
            cache.AddOrUpdate(key, new byte[CacheWorkload.ValueBytes]);
        }

        return cache;
    }

    // MemoryCache keys are objects; a 16-character string is the key here, so its UTF-16 body counts as overhead.
    private static MemoryCache FillMemoryCache()
    {
        var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Entries });
        var options = new MemoryCacheEntryOptions { Size = 1 };
        Span<byte> key = stackalloc byte[KeyBytes];
        for (var i = 0; i < Entries; i++)
        {
            WriteKey(i, key);
            cache.Set(Encoding.ASCII.GetString(key), new byte[CacheWorkload.ValueBytes], options);
        }

        return cache;
    }

    private static void WriteKey(int i, Span<byte> key)
    {
        "key:"u8.CopyTo(key);
        i.TryFormat(key[4..], out _, "D12", CultureInfo.InvariantCulture);
    }
}
