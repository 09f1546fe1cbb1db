using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RedisProxy.SystemTests.Infrastructure;
using RedisProxy.SystemTests.Resp;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>
/// Clients writing and reading through both doors of each proxy while a failover happens: one HTTP and one RESP
/// client per proxy, each the only writer of its keys, writing a key and reading it back, round after round, with
/// every operation's outcome and time kept for <see cref="FailoverVerdict"/>. Bounded by <see cref="MaxDuration"/>.
/// </summary>
internal sealed class FailoverLoad : IAsyncDisposable
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    private const int KeysPerClient = 6;

    /// <summary>
    /// The clients' pace: a short pause after each operation, longer after a failure (as a client that honours
    /// Retry-After loosely would). Flat-out clients on a two-core machine shared with every node would measure the
    /// machine's saturation, not the failover.
    /// </summary>
    private static readonly TimeSpan PauseAfterSuccess = TimeSpan.FromMilliseconds(1);

    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromMilliseconds(20);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new(MaxDuration);
    private readonly List<Operation> _operations = [];
    private readonly Task[] _clients;

    private FailoverLoad(IReadOnlyList<ApiProcess> proxies, string prefix)
    {
        Keys = [];
        var clients = new List<Task>();
        for (var p = 0; p < proxies.Count; p++)
        {
            foreach (var door in new[] { "http", "resp" })
            {
                var keys = Enumerable.Range(0, KeysPerClient).Select(i => $"{prefix}-{p}-{door}-{i}").ToArray();
                Keys.Add((p, keys));
                clients.Add(door == "http" ? RunHttpAsync(proxies[p], keys) : RunRespAsync(proxies[p], keys));
            }
        }

        _clients = [.. clients];
    }

    /// <summary>The time since the load started, on the clock every operation is timed with.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Each client's keys, by the index of the proxy it goes through.</summary>
    public List<(int Proxy, string[] Keys)> Keys { get; }

    public static FailoverLoad Start(IReadOnlyList<ApiProcess> proxies, string prefix) => new(proxies, prefix);

    /// <summary>What happened so far, in no particular order across clients.</summary>
    public IReadOnlyList<Operation> Operations
    {
        get
        {
            lock (_operations)
            {
                return [.. _operations];
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> operations succeeded after <paramref name="since"/> with none failing in between.</summary>
    public Task WaitForSuccessesAsync(int count, TimeSpan since, TimeSpan timeout) =>
        Eventually.MatchesAsync(
            () => Task.FromResult(Operations.Where(o => o.SentAt >= since).OrderBy(o => o.SentAt).ToList()),
            recent =>
            {
                var lastFailure = recent.FindLastIndex(o => o.Outcome != Outcome.Ok);
                return recent.Count - lastFailure - 1 >= count;
            },
            timeout,
            $"{count} operations in a row to succeed");

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunHttpAsync(ApiProcess proxy, string[] keys)
    {
        using var http = new HttpClient { BaseAddress = proxy.HttpAddress, Timeout = TimeSpan.FromSeconds(10) };
        for (var round = 0; !_stop.IsCancellationRequested; round++)
        {
            var key = keys[round % keys.Length];
            var value = ValueOf(key, round);
            await RecordAsync("http", OperationKind.Write, key, value, async () =>
            {
                using var response = await http.PutAsync($"/{key}", new StringContent(value));
                return (ClassifyHttp(response), Describe(response));
            });
            await RecordAsync("http", OperationKind.Read, key, null, async () =>
            {
                using var response = await http.GetAsync($"/{key}");
                var outcome = ClassifyHttp(response);
                if (response.StatusCode is HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    return (outcome, body.GetProperty("value").GetString());
                }

                return response.StatusCode is HttpStatusCode.NotFound ? (Outcome.Ok, null) : (outcome, Describe(response));
            });
        }
    }

    private async Task RunRespAsync(ApiProcess proxy, string[] keys)
    {
        RawResp? connection = null;
        try
        {
            for (var round = 0; !_stop.IsCancellationRequested; round++)
            {
                connection ??= await RawResp.OpenAsync(proxy.RespEndpoint);
                var resp = connection;
                var key = keys[round % keys.Length];
                var value = ValueOf(key, round);
                var broken = await RecordAsync("resp", OperationKind.Write, key, value, async () =>
                {
                    var reply = await resp.CallAsync(RawResp.Frame("SET", key, value));
                    return (reply == "+OK\r\n" ? Outcome.Ok : reply.StartsWith('-') ? Outcome.Failed : Outcome.Unexpected, reply);
                });
                broken |= await RecordAsync("resp", OperationKind.Read, key, null, async () =>
                {
                    var reply = await resp.CallAsync(RawResp.Frame("GET", key));
                    return reply switch
                    {
                        "$-1\r\n" => (Outcome.Ok, null),
                        ['$', ..] => (Outcome.Ok, reply[(reply.IndexOf('\n') + 1)..^2]),
                        ['-', ..] => (Outcome.Failed, null),
                        _ => (Outcome.Unexpected, reply),
                    };
                });
                if (broken)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Runs one operation and keeps its outcome; true when it threw (a client that must reconnect).</summary>
    private async Task<bool> RecordAsync(string door, OperationKind kind, string key, string? written, Func<Task<(Outcome Outcome, string? Read)>> operation)
    {
        var sentAt = Now;
        Outcome outcome;
        string? read = null;
        var threw = false;
        try
        {
            (outcome, read) = await operation();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or OperationCanceledException)
        {
            outcome = _stop.IsCancellationRequested ? Outcome.Abandoned : Outcome.Unexpected;
            read = e.GetType().Name;
            threw = true;
        }

        lock (_operations)
        {
            _operations.Add(new Operation(
                door, kind, key, kind == OperationKind.Write ? written : outcome == Outcome.Ok ? read : null, sentAt, Now, outcome, outcome == Outcome.Ok ? null : read));
        }

        if (!_stop.IsCancellationRequested)
        {
            await Task.Delay(outcome == Outcome.Ok ? PauseAfterSuccess : PauseAfterFailure);
        }

        return threw;
    }

    /// <summary>A failure the proxy owns up to: 503 or 504 with Retry-After. Anything else is unexpected.</summary>
    private static Outcome ClassifyHttp(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.Created => Outcome.Ok,
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout when response.Headers.RetryAfter is not null => Outcome.Failed,
        _ => Outcome.Unexpected,
    };

    private static string Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}";

    private static string ValueOf(string key, int round) => string.Create(CultureInfo.InvariantCulture, $"{key}:{round}");
}

internal enum OperationKind
{
    Write,
    Read,
}

internal enum Outcome
{
    Ok,

    /// <summary>Refused the way the proxy promises during a failover: 503/504 with Retry-After, or a RESP error reply.</summary>
    Failed,

    /// <summary>Any other answer, or none: a broken connection, a 500, a timeout of the client's own.</summary>
    Unexpected,

    /// <summary>Cut short by the end of the load.</summary>
    Abandoned,
}

/// <summary>
/// One write (with the value sent) or read (with the value got, null when absent), timed on the load's clock; unless
/// it succeeded, what came instead.
/// </summary>
internal sealed record Operation(
    string Door, OperationKind Kind, string Key, string? Value, TimeSpan SentAt, TimeSpan AnsweredAt, Outcome Outcome, string? Failure);
