using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RedisProxy.Api.Resp;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Tests.Telemetry;

/// <summary>
/// RESP commands as traces and the command-duration histogram show them: a RESP session served in process over a
/// real redis-server, its spans heard by a listener.
/// </summary>
[Collection(SpanListeners.Collection)]
public sealed class RespCommandTelemetryTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly RedisServerProcess _redis = new();
    private ConnectionMultiplexer? _connection;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _connection?.Dispose();
        await _redis.DisposeAsync();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    [Fact]
    public async Task A_miss_is_a_server_span_above_its_backend_call_and_an_unsampled_hit_has_none()
    {
        await _connection!.GetDatabase().StringSetAsync("k", "v");
        await using var proxy = await ServedProxy.StartAsync(_connection, traceHitsOneIn: 0);
        using var spans = new SpanListeners();
        using var durations = proxy.CollectCommandDurations();

        Assert.Equal("$1\r\nv\r\n", await proxy.SendAsync("GET k\r\n", "$1\r\nv\r\n"));
        Assert.Equal("$1\r\nv\r\n", await proxy.SendAsync("GET k\r\n", "$1\r\nv\r\n"));

        var server = Assert.Single(spans.Stopped, span => span.Kind == ActivityKind.Server);
        Assert.Equal("GET", server.DisplayName);
        Assert.Equal("redis", server.GetTagItem("db.system.name"));
        Assert.Equal("GET", server.GetTagItem("db.operation.name"));
        Assert.Equal("miss", server.GetTagItem("redisproxy.cache.result"));
        var backend = Assert.Single(spans.Stopped, span => span.Kind == ActivityKind.Client);
        Assert.Equal(server.SpanId, backend.ParentSpanId);
        Assert.Equal(server.TraceId, backend.TraceId);
        Assert.True(server.Duration >= backend.Duration, "the command's span covers its backend call");

        Assert.Equal(
            [("GET", "miss"), ("GET", "hit")],
            durations.GetMeasurementSnapshot().Select(m => (m.Tags["db.operation.name"], m.Tags["result"])));
    }

    [Fact]
    public async Task One_hit_in_every_trace_hits_one_in_gets_a_span()
    {
        await _connection!.GetDatabase().StringSetAsync("k", "v");
        await using var proxy = await ServedProxy.StartAsync(_connection, traceHitsOneIn: 4);
        await proxy.SendAsync("GET k\r\n", "$1\r\nv\r\n");
        using var spans = new SpanListeners();

        // One batch, read at once: twenty hits answered on one thread.
        await proxy.SendAsync(string.Concat(Enumerable.Repeat("GET k\r\n", 20)), string.Concat(Enumerable.Repeat("$1\r\nv\r\n", 20)));

        var hits = spans.Stopped.Where(span => span.Kind == ActivityKind.Server).ToList();
        Assert.Equal(5, hits.Count);
        Assert.All(hits, span => Assert.Equal("hit", span.GetTagItem("redisproxy.cache.result")));
        Assert.All(hits, span => Assert.True(span.Duration > TimeSpan.Zero, "a hit's span is dated from the command's arrival"));
        Assert.DoesNotContain(spans.Stopped, span => span.Kind == ActivityKind.Client);
    }

    [Fact]
    public async Task Each_command_of_a_pipeline_ends_when_its_reply_is_written_with_its_result()
    {
        await _connection!.GetDatabase().StringSetAsync("cached", "v");
        await _connection!.GetDatabase().StringSetAsync("absent-from-cache", "w");
        await using var proxy = await ServedProxy.StartAsync(_connection, traceHitsOneIn: 1);
        await proxy.SendAsync("GET cached\r\n", "$1\r\nv\r\n");
        using var spans = new SpanListeners();
        using var durations = proxy.CollectCommandDurations();

        // A miss, a hit queued behind it, a written-through SET and a forwarded INCR that Redis refuses.
        var replies = await proxy.SendAsync(
            "GET absent-from-cache\r\nGET cached\r\nSET s text\r\nINCR s\r\n",
            "-ERR value is not an integer or out of range\r\n");

        Assert.Equal("$1\r\nw\r\n$1\r\nv\r\n+OK\r\n-ERR value is not an integer or out of range\r\n", replies);
        var commands = spans.Stopped.Where(span => span.Kind == ActivityKind.Server).ToList();
        Assert.Equal(["GET", "GET", "SET", "INCR"], commands.Select(span => span.DisplayName));
        Assert.Equal(["miss", "hit", null, null], commands.Select(span => span.GetTagItem("redisproxy.cache.result")));
        Assert.Equal(
            [ActivityStatusCode.Unset, ActivityStatusCode.Unset, ActivityStatusCode.Unset, ActivityStatusCode.Error],
            commands.Select(span => span.Status));
        Assert.Equal(
            [("GET", "miss"), ("GET", "hit"), ("SET", "ok"), ("INCR", "error")],
            durations.GetMeasurementSnapshot().Select(m => (m.Tags["db.operation.name"], m.Tags["result"])));

        // Each backend call hangs under the command that made it.
        var backendParents = spans.Stopped.Where(span => span.Kind == ActivityKind.Client).Select(span => span.ParentSpanId).ToList();
        Assert.Contains(commands[0].SpanId, backendParents);
        Assert.Contains(commands[2].SpanId, backendParents);
        Assert.Contains(commands[3].SpanId, backendParents);
    }

    /// <summary>A RESP session of the proxy core over in-memory pipes, its services built with the given settings.</summary>
    private sealed class ServedProxy : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly Pipe _requests = new();
        private readonly Pipe _replies = new();
        private readonly RespSession _session;
        private readonly Task _running;

        private ServedProxy(ServiceProvider services)
        {
            _services = services;
            _session = new RespSession(_requests.Reader, _replies.Writer, 1, services.GetRequiredService<RespServerContext>(), CancellationToken.None);
            _running = Task.Run(_session.RunAsync);
        }

        public static Task<ServedProxy> StartAsync(IConnectionMultiplexer connection, int traceHitsOneIn)
        {
            var services = CoreServices.Build(connection, new()
            {
                ["TRACE_HITS_ONE_IN"] = traceHitsOneIn.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });

            // The backend's command table is not loaded yet: the first forwarded command loads it and is named from it.
            return Task.FromResult(new ServedProxy(services));
        }

        public MetricCollector<double> CollectCommandDurations() =>
            new(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ProxyTelemetry.Name, "redisproxy.command.duration");

        /// <summary>Sends the commands and returns every reply byte up to and including <paramref name="lastReply"/>.</summary>
        public async Task<string> SendAsync(string commands, string lastReply)
        {
            await _requests.Writer.WriteAsync(Encoding.UTF8.GetBytes(commands));
            var received = new StringBuilder();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!received.ToString().EndsWith(lastReply, StringComparison.Ordinal))
            {
                var read = await _replies.Reader.ReadAsync(timeout.Token);
                foreach (var segment in read.Buffer)
                {
                    received.Append(Encoding.UTF8.GetString(segment.Span));
                }

                _replies.Reader.AdvanceTo(read.Buffer.End);
            }

            return received.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            await _requests.Writer.CompleteAsync();
            await _running;
            _session.Dispose();
            await _services.DisposeAsync();
        }
    }
}
