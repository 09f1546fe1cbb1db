using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace RedisProxy.Benchmarks.Staleness;

/// <summary>
/// How long proxies with tracking keep serving a value after it changed in Redis (bench/staleness.sh). For each write:
/// every proxy caches the key (checked over HTTP, which says where an answer came from), one reader per proxy polls it
/// back to back over the proxy's RESP port (the cheapest read there is, so the readers load a small machine least), a
/// writer changes it directly on Redis, and the write's staleness is the time from its acknowledgement until the last
/// proxy's first answer with the new value (an upper bound: it includes that answer's own round trip).
/// </summary>
internal static class StalenessProbe
{
    private static readonly TimeSpan CacheTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(2);
    private const int Keys = 16;

    /// <param name="warmUp">Writes made first and not counted: fresh proxies need a few seconds of work before the JIT
    /// has compiled their final code, and their background compilation competes for the cores meanwhile.</param>
    public static async Task<int> RunAsync(
        string label, string redisConnection, IReadOnlyList<Uri> proxies, IReadOnlyList<int> respPorts, int warmUp, int writes, TimeSpan budget)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnection);
        var database = redis.GetDatabase();
        var clients = proxies.Select(proxy => new HttpClient { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(5) }).ToList();
        var readers = new List<RespReader>();
        foreach (var port in respPorts)
        {
            readers.Add(await RespReader.ConnectAsync(port));
        }

        var deadline = Stopwatch.StartNew();
        var staleness = new List<double>();
        var lowerBounds = new List<double>();
        var unconverged = 0;
        try
        {
            for (var i = 0; i < warmUp + writes && deadline.Elapsed < budget; i++)
            {
                var key = $"staleness-{i % Keys}";
                var old = $"{label}:{i}";
                var next = $"{label}:{i + 1}";
                await database.StringSetAsync(key, old);
                if (!(await Task.WhenAll(clients.Select(client => CacheAsync(client, key, old)))).All(cached => cached))
                {
                    unconverged += i < warmUp ? 0 : 1;
                    continue;
                }

                using var stop = new CancellationTokenSource(ConvergeTimeout);
                await database.StringSetAsync(key, next);
                var ackedAt = Stopwatch.GetTimestamp();
                var measured = await StoppedServingOldAsync(readers, key, next, ackedAt, stop.Token);
                if (i < warmUp)
                {
                    continue;
                }

                if (measured is not { } stopped)
                {
                    unconverged++;
                    continue;
                }

                staleness.Add(Stopwatch.GetElapsedTime(ackedAt, stopped.AllNewAnswered).TotalMilliseconds);
                lowerBounds.Add(stopped.LastOldSent == 0 ? 0 : Stopwatch.GetElapsedTime(ackedAt, stopped.LastOldSent).TotalMilliseconds);
            }
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
            readers.ForEach(reader => reader.Dispose());
        }

        staleness.Sort();
        lowerBounds.Sort();
        var report = new Dictionary<string, object>
        {
            ["backend"] = label,
            ["proxies"] = proxies.Count,
            ["writes"] = staleness.Count,
            ["unconverged"] = unconverged,
            ["p50_ms"] = Percentile(staleness, 0.50),
            ["p99_ms"] = Percentile(staleness, 0.99),
            ["max_ms"] = staleness.Count == 0 ? double.NaN : Math.Round(staleness[^1], 3),
            ["lower_p50_ms"] = Percentile(lowerBounds, 0.50),
            ["lower_p99_ms"] = Percentile(lowerBounds, 0.99),
        };
        Console.WriteLine("STALENESS_JSON " + JsonSerializer.Serialize(report));
        return staleness.Count > 0 && unconverged == 0 ? 0 : 1;
    }

    /// <summary>Reads <paramref name="key"/> until the proxy answers it from its cache with <paramref name="value"/>.</summary>
    private static async Task<bool> CacheAsync(HttpClient client, string key, string value)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < CacheTimeout)
        {
            var (answer, source) = await ReadAsync(client, key, CancellationToken.None);
            if (answer == value && source == "local")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// When the proxies stopped serving the old value, bracketed: the sending of the last read answered with the old
    /// value, and the answer of the read after which every proxy had answered the new one; null if that never came.
    /// The proxies are read in turn, one read in flight at a time: readers at every proxy at once would keep every
    /// proxy busy and, on a small machine, measure the queue for its cores rather than the proxies.
    /// </summary>
    private static async Task<(long LastOldSent, long AllNewAnswered)?> StoppedServingOldAsync(
        IReadOnlyList<RespReader> readers, string key, string value, long acknowledged, CancellationToken stop)
    {
        var pending = readers.ToList();
        var lastOldSent = 0L;
        try
        {
            while (pending.Count > 0)
            {
                foreach (var reader in pending.ToList())
                {
                    var sent = Stopwatch.GetTimestamp();
                    if (await reader.GetAsync(key, stop) == value)
                    {
                        pending.Remove(reader);
                    }
                    else if (sent > acknowledged)
                    {
                        lastOldSent = sent;
                    }
                }
            }

            return (lastOldSent, Stopwatch.GetTimestamp());
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task<(string? Value, string? Source)> ReadAsync(HttpClient client, string key, CancellationToken stop)
    {
        using var response = await client.GetAsync(key, stop);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(stop), cancellationToken: stop);
        return (body.RootElement.GetProperty("value").GetString(), body.RootElement.GetProperty("source").GetString());
    }

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)], 3);

    /// <summary>staleness LABEL REDIS_CONNECTION HTTP_URL[,...] RESP_PORT[,...] WARMUP_WRITES WRITES SECONDS</summary>
    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args[1], args[2], [.. args[3].Split(',').Select(address => new Uri(address))], [.. args[4].Split(',').Select(Number)],
            Number(args[5]), Number(args[6]), TimeSpan.FromSeconds(Number(args[7])));

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>GET over one RESP connection to a proxy, one request at a time.</summary>
    private sealed class RespReader(Socket socket) : IDisposable
    {
        private readonly byte[] _buffer = new byte[4096];

        public static async Task<RespReader> ConnectAsync(int port)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync("127.0.0.1", port);
            return new RespReader(socket);
        }

        /// <summary>The value, or null for a nil reply; throws on anything else.</summary>
        public async Task<string?> GetAsync(string key, CancellationToken stop)
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes($"*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n"), stop);
            var filled = 0;
            while (true)
            {
                filled += await socket.ReceiveAsync(_buffer.AsMemory(filled), stop);
                var reply = Encoding.ASCII.GetString(_buffer, 0, filled);
                if (reply.StartsWith("$-1\r\n", StringComparison.Ordinal))
                {
                    return null;
                }

                var header = reply.IndexOf("\r\n", StringComparison.Ordinal);
                if (reply[0] != '$' && header > 0)
                {
                    throw new InvalidDataException($"unexpected reply: {reply}");
                }

                if (header > 0 && int.Parse(reply.AsSpan(1, header - 1), CultureInfo.InvariantCulture) is var length && filled >= header + 2 + length + 2)
                {
                    return reply.Substring(header + 2, length);
                }
            }
        }

        public void Dispose() => socket.Dispose();
    }
}
