using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace RedisProxy.Benchmarks.Warmup;

/// <summary>
/// How fast a fresh proxy gets to full speed (bench/warmup.sh). Starts the proxy (<c>dotnet RedisProxy.Api.dll</c>, with
/// this process's environment), polls its HTTP <c>GET /ping</c> and RESP <c>PING</c> back to back from the moment it is
/// started, and from the first answer drives one scenario with closed-loop connections (one request in flight each, on
/// blocking sockets and threads of their own, so the client has no thread pool or JIT of its own to warm up while it
/// measures), counting the answers and the proxy's CPU time in each second. Prints one JSON line.
/// </summary>
internal static class WarmupProbe
{
    private const string HitKey = "warmup:hit";
    private const string CounterKey = "warmup:counter";

    public static int Run(string[] args)
    {
        var apiDll = Path.GetFullPath(args[1]);
        var httpPort = int.Parse(args[2], CultureInfo.InvariantCulture);
        var respPort = int.Parse(args[3], CultureInfo.InvariantCulture);
        var redisPort = int.Parse(args[4], CultureInfo.InvariantCulture);
        var scenario = args[5];
        var seconds = int.Parse(args[6], CultureInfo.InvariantCulture);
        var connections = int.Parse(args[7], CultureInfo.InvariantCulture);
        var logPath = args[8];
        if (scenario is not ("http-get" or "resp-get" or "resp-incr"))
        {
            Console.Error.WriteLine($"warmup: unknown scenario '{scenario}' (http-get, resp-get, resp-incr)");
            return 2;
        }

        // The client's own loops run against redis-server first, so its code is compiled before the proxy starts.
        SelfWarmUp(redisPort, scenario, connections);

        // A published native executable (Native AOT) is started itself, an assembly through dotnet.
        var native = !apiDll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(native ? apiDll : "dotnet", native ? [] : [apiDll])
        {
            WorkingDirectory = Path.GetDirectoryName(apiDll),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The probe itself runs with DOTNET_TieredCompilation=0 (fully optimised code from the first call); the proxy
        // gets the environment without it, plus every PROXY_ENV_NAME=value as NAME=value (settings under test).
        start.Environment.Remove("DOTNET_TieredCompilation");
        foreach (var (name, value) in start.Environment.Where(e => e.Key.StartsWith("PROXY_ENV_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
            start.Environment[name["PROXY_ENV_".Length..]] = value;
        }

        using var log = new StreamWriter(logPath) { AutoFlush = true };
        // A proxy left over from an earlier run would answer for the new one.
        if (HttpPing(httpPort) || RespPing(respPort))
        {
            Console.Error.WriteLine($"warmup: something already answers on port {httpPort} or {respPort}");
            return 1;
        }

        var startedAt = Stopwatch.GetTimestamp();
        using var proxy = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        // For the script, which stops the proxy itself if it has to stop this probe first.
        File.WriteAllText(logPath + ".pid", proxy.Id.ToString(CultureInfo.InvariantCulture));
        var proxyId = proxy.Id;
        AppDomain.CurrentDomain.UnhandledException += (_, _) => Stop(proxyId);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(proxyId);
        proxy.OutputDataReceived += (_, e) => Log(log, e.Data);
        proxy.ErrorDataReceived += (_, e) => Log(log, e.Data);
        proxy.BeginOutputReadLine();
        proxy.BeginErrorReadLine();
        try
        {
            var http = Poll(() => HttpPing(httpPort), startedAt, proxy.Id);
            var resp = Poll(() => RespPing(respPort), startedAt, proxy.Id);
            var loadDoor = scenario == "http-get" ? http : resp;
            if (!loadDoor.Thread.Join(TimeSpan.FromSeconds(20)) || loadDoor.AnsweredAt == 0)
            {
                Console.Error.WriteLine($"warmup: the proxy did not answer within 20 s; its log is {logPath}");
                return 1;
            }

            if (proxy.HasExited)
            {
                Console.Error.WriteLine($"warmup: the proxy exited with {proxy.ExitCode}; its log is {logPath}");
                return 1;
            }

            var perSecond = Load(scenario, scenario == "http-get" ? httpPort : respPort, connections, seconds, proxy.Id, loadDoor.AnsweredAt);
            http.Thread.Join(TimeSpan.FromSeconds(5));
            resp.Thread.Join(TimeSpan.FromSeconds(5));
            var result = new
            {
                scenario,
                connections,
                http_first_ms = Milliseconds(startedAt, http.AnsweredAt),
                resp_first_ms = Milliseconds(startedAt, resp.AnsweredAt),
                http_first_cpu_ms = http.CpuMilliseconds,
                resp_first_cpu_ms = resp.CpuMilliseconds,
                load_started_ms = Milliseconds(startedAt, loadDoor.AnsweredAt),
                requests_per_second = perSecond.Select(s => s.Requests).ToArray(),
                proxy_cpu_ms_per_second = perSecond.Select(s => s.CpuMilliseconds).ToArray(),
            };
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            proxy.Kill(entireProcessTree: true);
            proxy.WaitForExit();
        }
    }

    private static void Stop(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Gone already.
        }
    }

    private static void Log(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private static double? Milliseconds(long from, long to) =>
        to == 0 ? null : Math.Round(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds, 1);

    private sealed class DoorPoll
    {
        public required Thread Thread { get; init; }

        public long AnsweredAt { get; set; }

        /// <summary>The proxy's CPU time when it first answered: far less disturbed by other load than the wall time.</summary>
        public double CpuMilliseconds { get; set; }
    }

    /// <summary>Tries the door every half millisecond until it answers, for at most 20 s.</summary>
    private static DoorPoll Poll(Func<bool> answers, long startedAt, int processId)
    {
        DoorPoll? poll = null;
        var thread = new Thread(() =>
        {
            while (Stopwatch.GetElapsedTime(startedAt) < TimeSpan.FromSeconds(20))
            {
                if (answers())
                {
                    poll!.AnsweredAt = Stopwatch.GetTimestamp();
                    poll.CpuMilliseconds = CpuMilliseconds(processId);
                    return;
                }

                Thread.Sleep(TimeSpan.FromMilliseconds(0.5));
            }
        })
        { IsBackground = true };
        poll = new DoorPoll { Thread = thread };
        thread.Start();
        return poll;
    }

    private static bool HttpPing(int port)
    {
        try
        {
            using var client = new Client(port);
            return client.Http("/ping") == 200;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    private static bool RespPing(int port)
    {
        try
        {
            using var client = new Client(port);
            return client.Resp(Client.Command("PING")) == "+PONG";
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    private static void SelfWarmUp(int redisPort, string scenario, int connections)
    {
        using (var setup = new Client(redisPort))
        {
            setup.Resp(Client.Command("SET", HitKey, new string('v', 64)));
        }

        // The HTTP loop is warmed against a stand-in that answers every request with a fixed reply.
        using var standIn = scenario == "http-get" ? new FixedHttpResponder() : null;
        var port = standIn?.Port ?? redisPort;
        Load(scenario, port, connections, seconds: 0, processId: null, startedAt: Stopwatch.GetTimestamp());
    }

    private readonly record struct Second(long Requests, double CpuMilliseconds);

    private static Second[] Load(string scenario, int port, int connections, int seconds, int? processId, long startedAt)
    {
        long requests = 0;
        var stop = false;
        var request = scenario switch
        {
            "resp-get" => Client.Command("GET", HitKey),
            "resp-incr" => Client.Command("INCR", CounterKey),
            _ => Array.Empty<byte>(),
        };
        var threads = Enumerable.Range(0, connections).Select(_ => new Thread(() =>
        {
            using var client = new Client(port);
            while (!Volatile.Read(ref stop))
            {
                if (scenario == "http-get")
                {
                    client.Http("/" + HitKey);
                }
                else
                {
                    client.Resp(request);
                }

                Interlocked.Increment(ref requests);
            }
        })
        { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());

        var result = new Second[seconds];
        long counted = 0;
        var cpu = CpuMilliseconds(processId);
        for (var s = 1; s <= seconds; s++)
        {
            var due = TimeSpan.FromSeconds(s) - Stopwatch.GetElapsedTime(startedAt);
            if (due > TimeSpan.Zero)
            {
                Thread.Sleep(due);
            }

            var now = Interlocked.Read(ref requests);
            var cpuNow = CpuMilliseconds(processId);
            result[s - 1] = new Second(now - counted, Math.Round(cpuNow - cpu, 1));
            counted = now;
            cpu = cpuNow;
        }

        Volatile.Write(ref stop, true);
        threads.ForEach(t => t.Join(TimeSpan.FromSeconds(2)));
        return result;
    }

    private static readonly double MillisecondsPerTick = 1000.0 / 100;

    /// <summary>User and system CPU time of a process from /proc (USER_HZ is 100 on Linux).</summary>
    private static double CpuMilliseconds(int? processId)
    {
        if (processId is null || !File.Exists($"/proc/{processId}/stat"))
        {
            return 0;
        }

        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * MillisecondsPerTick;
    }

    /// <summary>One blocking connection with one request in flight: RESP commands or HTTP/1.1 keep-alive GETs.</summary>
    private sealed class Client : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public Client(int port) => _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));

        public static byte[] Command(params string[] parts)
        {
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{parts.Length}\r\n");
            foreach (var part in parts)
            {
                text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
            }

            return Encoding.UTF8.GetBytes(text.ToString());
        }

        /// <summary>Sends a command and reads its reply (a simple string, error, integer or bulk string); returns its first line.</summary>
        public string Resp(byte[] command)
        {
            _socket.Send(command);
            var line = ReadLine();
            if (line.StartsWith('$') && int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture) is var length and >= 0)
            {
                Skip(length + 2);
            }

            return line;
        }

        /// <summary>Sends a GET and reads the whole response; returns its status code.</summary>
        public int Http(string path)
        {
            _socket.Send(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            var status = int.Parse(ReadLine().AsSpan(9, 3), CultureInfo.InvariantCulture);
            var length = 0;
            for (var line = ReadLine(); line.Length > 0; line = ReadLine())
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
                }
            }

            Skip(length);
            return status;
        }

        private string ReadLine()
        {
            while (true)
            {
                var newline = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
                if (newline >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, newline);
                    _start += newline + 2;
                    return line;
                }

                Fill();
            }
        }

        private void Skip(int count)
        {
            while (_end - _start < count)
            {
                count -= _end - _start;
                _start = _end;
                Fill();
            }

            _start += count;
        }

        private void Fill()
        {
            if (_start == _end)
            {
                _start = _end = 0;
            }
            else if (_end == _buffer.Length)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                (_start, _end) = (0, _end - _start);
            }

            var read = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }

            _end += read;
        }

        public void Dispose() => _socket.Dispose();
    }

    /// <summary>Answers every HTTP request on every connection with the same small 200 response.</summary>
    private sealed class FixedHttpResponder : IDisposable
    {
        private static readonly byte[] Reply = Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"value\":\"vvvv\"}");

        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        public FixedHttpResponder()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen();
            new Thread(Accept) { IsBackground = true }.Start();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        private void Accept()
        {
            try
            {
                while (true)
                {
                    var connection = _listener.Accept();
                    new Thread(() => Serve(connection)) { IsBackground = true }.Start();
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Closed.
            }
        }

        private static void Serve(Socket connection)
        {
            using (connection)
            {
                var buffer = new byte[4096];
                var filled = 0;
                try
                {
                    while (true)
                    {
                        var read = connection.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                        if (read == 0)
                        {
                            return;
                        }

                        filled += read;
                        int end;
                        while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) >= 0)
                        {
                            connection.Send(Reply);
                            buffer.AsSpan(end + 4, filled - end - 4).CopyTo(buffer);
                            filled -= end + 4;
                        }
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // The client went away.
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
