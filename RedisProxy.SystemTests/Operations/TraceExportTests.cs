using System.Globalization;
using System.Net;
using System.Text;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Operations;

/// <summary>
/// The standalone API given an OTLP endpoint, as the AppHost gives it one: its HTTP requests reach the exporter as
/// spans named by route. ASP.NET Core's own per-request activity is off while nobody listens (appsettings.json), so
/// this guards that it is still there when somebody does.
/// </summary>
public sealed class TraceExportTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Http_requests_are_exported_as_spans_named_by_route()
    {
        using var collector = OtlpCollector.Start();
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var api = ApiProcess.StartOver(redis, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["TRACE_HITS_ONE_IN"] = "1",
        });
        await api.WaitUntilServingAsync(StartTimeout);
        using var proxy = ProxyClient.For(api);

        await proxy.PutAsync("traced-key", "traced-value");
        var hit = await proxy.GetAsync("traced-key");
        Assert.Equal((200, "local"), (hit.Status, hit.Source));
        Assert.Equal(404, (await proxy.GetAsync("traced-absent")).Status);

        // Span names travel as plain UTF-8 strings in the protobuf body.
        await collector.WaitUntilReceivedAsync("/v1/traces", ["PUT /{key}", "GET /{key}"], TimeSpan.FromSeconds(30));
    }

    /// <summary>An OTLP/HTTP endpoint on a free loopback port that keeps every request body by path.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener;
        private readonly List<(string Path, byte[] Body)> _received = [];
        private readonly SemaphoreSlim _arrived = new(0);

        private OtlpCollector(HttpListener listener, string address)
        {
            _listener = listener;
            Address = address;
            _ = ReceiveAsync();
        }

        public string Address { get; }

        public static OtlpCollector Start()
        {
            var port = RedisProxy.TestSupport.FreePorts.Take(1)[0];
            var address = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            var listener = new HttpListener();
            listener.Prefixes.Add(address + "/");
            listener.Start();
            return new OtlpCollector(listener, address);
        }

        /// <summary>Waits until the bodies posted to <paramref name="path"/> contain every one of <paramref name="texts"/>.</summary>
        public async Task WaitUntilReceivedAsync(string path, string[] texts, TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            while (true)
            {
                var missing = texts.Where(text => !Received(path, text)).ToList();
                if (missing.Count == 0)
                {
                    return;
                }

                try
                {
                    await _arrived.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"no span named {string.Join(" or ", missing)} reached {path} within {timeout}");
                }
            }
        }

        private bool Received(string path, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            lock (_received)
            {
                return _received.Any(request => request.Path == path && request.Body.AsSpan().IndexOf(bytes) >= 0);
            }
        }

        private async Task ReceiveAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_received)
                {
                    _received.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
                _arrived.Release();
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _arrived.Dispose();
        }
    }
}
