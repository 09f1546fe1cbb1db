using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using RedisProxy.SystemTests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisProxy.SystemTests.Reliability;

/// <summary>
/// A bounded soak: 32 clients, half over HTTP and half over RESP, read and write 2,000 keys through a cache of 200 for
/// 30 s (SOAK_SECONDS for longer), so hits, misses, evictions and writes all happen at once. Every key's value is a function of the key, and writers write that same
/// value, so every reply can be checked. It must end with no error, no wrong value, and a managed heap that did not
/// keep growing after warm-up.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Capacity = 200;
    private const int PresentKeys = 10 * Capacity;
    private const int AbsentKeys = 200;
    private const int HttpClients = 16;
    private const int RespClients = 16;
    private const int DefaultSeconds = 30;

    // SOAK_SECONDS lengthens the soak for a run by hand (docs/reliability.md); `dotnet test` keeps the bounded 30 s.
    private static readonly int Seconds = int.TryParse(Environment.GetEnvironmentVariable("SOAK_SECONDS"), out var seconds) && seconds > DefaultSeconds
        ? seconds
        : DefaultSeconds;

    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(Seconds);
    private static readonly TimeSpan MaxDuration = Duration * 2;
    private static readonly long MaxOperationsPerClient = 200_000L * Seconds / DefaultSeconds;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);

    // The heap is compared by what survived full (blocking) collections only: the heap's size swings by hundreds of
    // MB here, because evicted entries die old and wait in generation 2 for a full collection. What survives a full
    // collection is what is live: the cache (200 values of at most 2 KB), connections, pooled buffers and the runtime,
    // tens of MB. A leak of anything per operation, over the hundreds of thousands of operations between the two
    // measurements, adds far more than 64 MB; the allowance covers pools and buffers that grow with concurrency.
    private const long AllowedHeapGrowthBytes = 64L * 1024 * 1024;

    // The heap check once failed (the live heap rose to ~190 MB): a heap dump showed StackExchange.Redis's tracing
    // keeping a profiling session per traced request until its periodic flush. Its tracing is now off (RedisBackend
    // traces backend calls itself) and nothing is traced without an exporter.
    [Fact]
    public Task Mixed_load_over_both_doors_ends_with_no_error_every_value_right_and_no_heap_growth() => SoakAsync();

    private async Task SoakAsync()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await SeedAsync(redis);
        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string>
        {
            ["CACHE_CAPACITY"] = Capacity.ToString(CultureInfo.InvariantCulture),
            // Correctness under load is the point here, not latency: a generous timeout keeps a busy shared machine
            // from turning slowness into errors.
            ["BACKEND_TIMEOUT_MS"] = "10000",
            // Full collections blocking rather than in the background: a background one counts as alive whatever
            // the load allocates while it runs (here over 100 MB), which hides a leak in noise. A leak is the same
            // in either mode; only the measure becomes exact.
            ["DOTNET_gcConcurrent"] = "0",
        });
        await api.WaitUntilServingAsync(TimeSpan.FromSeconds(60));

        using var http = new HttpClient { BaseAddress = api.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var management = new HttpClient { BaseAddress = api.ManagementAddress, Timeout = TimeSpan.FromSeconds(30) };
        var resp = new List<ConnectionMultiplexer>();
        for (var i = 0; i < RespClients; i++)
        {
            resp.Add(await ConnectAsync(api));
        }

        var errors = new ConcurrentQueue<string>();
        var operations = new long[HttpClients + RespClients];
        using var stop = new CancellationTokenSource(MaxDuration);
        var samples = SampleMemoryAsync(management, stop);
        var clients = Enumerable.Range(0, HttpClients)
            .Select(i => RunClientAsync(i, new HttpDoor(http), errors, operations, stop.Token))
            .Concat(resp.Select((connection, i) => RunClientAsync(HttpClients + i, new RespDoor(connection.GetDatabase()), errors, operations, stop.Token)))
            .ToList();
        await Task.WhenAll(clients).WaitAsync(MaxDuration + TimeSpan.FromSeconds(60));
        var memory = await samples.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var connection in resp)
        {
            await connection.DisposeAsync();
        }

        output.WriteLine($"{operations.Sum()} operations; live after last full GC: {string.Join(", ", memory.Select(s => $"{s.At.TotalSeconds:0}s={s.LiveAfterFullGc / 1024 / 1024}MB#{s.FullCollections}"))}");
        Assert.True(errors.IsEmpty, $"{errors.Count} errors, first: {string.Join(" | ", errors.Take(5))}");
        Assert.All(operations, count => Assert.True(count > 0, "a client made no operation"));

        // The mix really happened: lookups that hit, lookups that missed, and entries pushed out of the full cache.
        using var status = JsonDocument.Parse(await management.GetStringAsync("/status"));
        var cache = status.RootElement.GetProperty("cache");
        Assert.True(cache.GetProperty("hits").GetInt64() > 0, "no hits");
        Assert.True(cache.GetProperty("misses").GetInt64() > 0, "no misses");
        Assert.True(cache.GetProperty("evictions").GetInt64() > 0, "no evictions");

        var compared = FullCollectionsToCompare(memory);
        if (compared is null)
        {
            // Too little survived for two full collections after warm-up: then the whole managed heap must have stayed
            // within the same allowance, which a leak would have broken long before (and forced full collections).
            var afterWarmUp = memory.Where(s => s.At >= WarmUp).ToList();
            Assert.NotEmpty(afterWarmUp);
            Assert.True(
                afterWarmUp.Max(s => s.ManagedHeap) <= afterWarmUp[0].ManagedHeap + AllowedHeapGrowthBytes,
                $"the managed heap grew from {afterWarmUp[0].ManagedHeap} to {afterWarmUp.Max(s => s.ManagedHeap)} bytes");
            return;
        }

        var (first, last) = compared.Value;
        Assert.True(
            last.LiveAfterFullGc <= first.LiveAfterFullGc + AllowedHeapGrowthBytes,
            $"the live heap after a full collection grew from {first.LiveAfterFullGc} to {last.LiveAfterFullGc} bytes");
    }

    /// <summary>
    /// The first full collection seen after warm-up and the last one, when they differ: the live heap must not have
    /// grown between them. Null until there are two.
    /// </summary>
    private static (MemorySample First, MemorySample Last)? FullCollectionsToCompare(List<MemorySample> samples)
    {
        var afterWarmUp = samples.Where(s => s.At >= WarmUp).ToList();
        if (afterWarmUp.Count == 0)
        {
            return null;
        }

        var first = afterWarmUp.FirstOrDefault(s => s.FullCollections > afterWarmUp[0].FullCollections);
        var last = afterWarmUp[^1];
        return first is not null && last.FullCollections > first.FullCollections ? (first, last) : null;
    }

    /// <summary>Each key's one right value: the key repeated to a length that varies with the key (200–2,000 bytes).</summary>
    private static string ValueOf(int index)
    {
        var key = KeyOf(index);
        var length = 200 + (index % 7 * 300);
        var value = new StringBuilder(length + key.Length);
        while (value.Length < length)
        {
            value.Append(key).Append('|');
        }

        return value.ToString(0, length);
    }

    private static string KeyOf(int index) => string.Create(CultureInfo.InvariantCulture, $"soak:{index}");

    private static string AbsentKeyOf(int index) => string.Create(CultureInfo.InvariantCulture, $"soak:absent:{index}");

    private static async Task SeedAsync(RedisServerProcess redis)
    {
        await using var backend = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var pairs = Enumerable.Range(0, PresentKeys).Select(i => new KeyValuePair<RedisKey, RedisValue>(KeyOf(i), ValueOf(i))).ToArray();
        await backend.GetDatabase().StringSetAsync(pairs);
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(ApiProcess api) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", api.RespPort } },
            AbortOnConnectFail = true,
            ConnectTimeout = 15_000,
            AsyncTimeout = 30_000,
            SyncTimeout = 30_000,
        });

    /// <summary>
    /// One client: 70% reads of keys that exist, 10% reads of keys that never do, 20% writes of a key's own value,
    /// chosen by a seeded random so each run does the same mix. Bounded by the duration and an operation count.
    /// </summary>
    private static async Task RunClientAsync(int client, IDoor door, ConcurrentQueue<string> errors, long[] operations, CancellationToken stop)
    {
        var random = new Random(client);
        while (!stop.IsCancellationRequested && operations[client] < MaxOperationsPerClient)
        {
            var roll = random.Next(100);
            try
            {
                if (roll < 70)
                {
                    var index = random.Next(PresentKeys);
                    var value = await door.GetAsync(KeyOf(index));
                    if (value != ValueOf(index))
                    {
                        errors.Enqueue($"{door.Name} GET {KeyOf(index)} returned {Describe(value)}");
                    }
                }
                else if (roll < 80)
                {
                    var key = AbsentKeyOf(random.Next(AbsentKeys));
                    var value = await door.GetAsync(key);
                    if (value is not null)
                    {
                        errors.Enqueue($"{door.Name} GET {key} returned {Describe(value)} for a key that does not exist");
                    }
                }
                else
                {
                    var index = random.Next(PresentKeys);
                    await door.SetAsync(KeyOf(index), ValueOf(index));
                }
            }
            catch (Exception e)
            {
                errors.Enqueue($"{door.Name}: {e.GetType().Name}: {e.Message}");
            }

            operations[client]++;
        }
    }

    private static string Describe(string? value) => value is null ? "nothing" : $"'{value[..Math.Min(40, value.Length)]}…' ({value.Length} chars)";

    /// <summary>
    /// The API's managed heap every second, from its <c>/status</c>. Stops the load (cancels <paramref name="stop"/>)
    /// once it has run for <see cref="Duration"/> and two full collections have happened after warm-up; the
    /// source's own <see cref="MaxDuration"/> stops it in any case.
    /// </summary>
    private static async Task<List<MemorySample>> SampleMemoryAsync(HttpClient management, CancellationTokenSource stop)
    {
        var clock = Stopwatch.StartNew();
        var samples = new List<MemorySample>();
        while (!stop.IsCancellationRequested)
        {
            using (var status = JsonDocument.Parse(await management.GetStringAsync("/status", CancellationToken.None)))
            {
                var memory = status.RootElement.GetProperty("memory");
                var sample = new MemorySample(
                    clock.Elapsed,
                    memory.GetProperty("live_bytes_after_last_full_gc").GetInt64(),
                    memory.GetProperty("full_collections").GetInt32(),
                    memory.GetProperty("managed_heap_bytes").GetInt64());
                samples.Add(sample);
                if (sample.At >= Duration)
                {
                    await stop.CancelAsync();
                    break;
                }
            }

            try
            {
                await Task.Delay(SampleEvery, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return samples;
    }

    private sealed record MemorySample(TimeSpan At, long LiveAfterFullGc, int FullCollections, long ManagedHeap);

    /// <summary>A front door as a client sees it: a key's value or null when absent, and a write.</summary>
    private interface IDoor
    {
        string Name { get; }

        Task<string?> GetAsync(string key);

        Task SetAsync(string key, string value);
    }

    private sealed class HttpDoor(HttpClient http) : IDoor
    {
        public string Name => "HTTP";

        public async Task<string?> GetAsync(string key)
        {
            using var response = await http.GetAsync("/" + key);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET /{key} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("value").GetString();
        }

        public async Task SetAsync(string key, string value)
        {
            using var response = await http.PutAsync("/" + key, new StringContent(value, Encoding.UTF8));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"PUT /{key} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private sealed class RespDoor(IDatabase database) : IDoor
    {
        public string Name => "RESP";

        public async Task<string?> GetAsync(string key) => await database.StringGetAsync(key);

        public async Task SetAsync(string key, string value)
        {
            if (!await database.StringSetAsync(key, value))
            {
                throw new InvalidOperationException($"SET {key} was refused");
            }
        }
    }
}
