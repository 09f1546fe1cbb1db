using System.Globalization;

namespace RedisProxy.Api.Configuration;

/// <summary>
/// Reads <see cref="ProxyOptions"/> from the seed's flat environment names. Every value that cannot be used is
/// recorded with its variable's name, so start-up can report them all in one message.
/// </summary>
internal static class ProxyOptionsReader
{
    private const int MaxPort = 65535;

    // A day: longer connection timeouts are indistinguishable from none, which 0 already says where it is allowed.
    private const int MaxTimeoutSeconds = 86_400;

    public static void Read(IConfiguration configuration, ProxyOptions options)
    {
        var reader = new Reader(configuration, options.Problems);
        options.ListenAddress = reader.Address("PROXY_IP", options.ListenAddress);
        options.HttpPort = reader.Integer("PROXY_PORT", options.HttpPort, 1, MaxPort);
        options.RespPort = reader.Integer("PROXY_RESP_PORT", options.RespPort, 0, MaxPort);
        options.ManagementPort = reader.Integer("PROXY_MANAGEMENT_PORT", options.ManagementPort, 1, MaxPort);
        options.RedisHost = reader.Text("REDIS_SERVER_IP", options.RedisHost);
        options.RedisPort = reader.Integer("REDIS_SERVER_PORT", options.RedisPort, 1, MaxPort);
        options.RedisUser = reader.OptionalText("REDIS_USER");
        options.RedisPassword = reader.OptionalText("REDIS_PASSWORD");
        options.RedisTls = reader.Boolean("REDIS_TLS", options.RedisTls);
        options.InlineScheduling = reader.Boolean("PROXY_INLINE_SCHEDULING", options.InlineScheduling);
        options.IoThreads = reader.Integer("PROXY_IO_THREADS", options.IoThreads, 1, 1024);
        options.CacheExpiry = TimeSpan.FromSeconds(
            reader.PositiveNumber("CACHE_EXPIRY", options.CacheExpiry.TotalSeconds, TimeSpan.FromDays(3650).TotalSeconds));
        options.CacheCapacity = reader.Integer("CACHE_CAPACITY", options.CacheCapacity, 1, 100_000_000);
        options.CacheMaxBytes = reader.LongInteger("CACHE_MAX_BYTES", options.CacheMaxBytes, 0, long.MaxValue);
        options.CacheMaxValueBytes = reader.Integer("CACHE_MAX_VALUE_BYTES", options.CacheMaxValueBytes, 0, int.MaxValue);
        options.MaxConcurrentRequests = reader.Integer("MAX_CONCURRENT_REQUESTS", options.MaxConcurrentRequests, 1, 100_000);
        options.MaxQueuedRequests = reader.Integer("MAX_QUEUED_REQUESTS", options.MaxQueuedRequests, 0, 1_000_000);
        options.BackendTimeout = TimeSpan.FromMilliseconds(
            reader.Integer("BACKEND_TIMEOUT_MS", (int)options.BackendTimeout.TotalMilliseconds, 10, 600_000));
        options.MaxPinnedConnections = reader.Integer("MAX_PINNED_CONNECTIONS", options.MaxPinnedConnections, 0, 100_000);
        options.MaxKeyBytes = reader.Integer("MAX_KEY_BYTES", options.MaxKeyBytes, 1, 512 * 1024 * 1024);
        options.RespMaxBulkBytes = reader.Integer("RESP_MAX_BULK_BYTES", options.RespMaxBulkBytes, 1, 1024 * 1024 * 1024);
        options.RespMaxMultibulkLength = reader.Integer("RESP_MAX_MULTIBULK_LENGTH", options.RespMaxMultibulkLength, 1, int.MaxValue);
        options.RespMaxInlineBytes = reader.Integer("RESP_MAX_INLINE_BYTES", options.RespMaxInlineBytes, 16, 1024 * 1024 * 1024);
        options.RespIdleTimeout = reader.Seconds("RESP_IDLE_TIMEOUT_SECONDS", options.RespIdleTimeout, 0, MaxTimeoutSeconds);
        options.RespFrameTimeout = reader.Seconds("RESP_FRAME_TIMEOUT_SECONDS", options.RespFrameTimeout, 0, MaxTimeoutSeconds);
        options.RespDeniedCommands = reader.CommandNames("RESP_DENY_COMMANDS");
        options.RespAllowedCommands = reader.CommandNames("RESP_ALLOW_COMMANDS");
        options.HttpHeadersTimeout = reader.Seconds("HTTP_HEADERS_TIMEOUT_SECONDS", options.HttpHeadersTimeout, 1, MaxTimeoutSeconds);
        options.HttpKeepAliveTimeout = reader.Seconds("HTTP_KEEPALIVE_TIMEOUT_SECONDS", options.HttpKeepAliveTimeout, 1, MaxTimeoutSeconds);
        options.HttpMaxHeaderBytes = reader.Integer("HTTP_MAX_HEADER_BYTES", options.HttpMaxHeaderBytes, 1024, 16 * 1024 * 1024);
        options.MaxValueBytes = reader.Integer("MAX_VALUE_BYTES", options.MaxValueBytes, 1, 1024 * 1024 * 1024);
        options.HttpMinBodyBytesPerSecond = reader.Integer("HTTP_MIN_BODY_BYTES_PER_SECOND", options.HttpMinBodyBytesPerSecond, 0, 1024 * 1024 * 1024);
        options.RequirePass = reader.Secret("PROXY_REQUIREPASS");
        options.CacheInvalidation = reader.Choice("CACHE_INVALIDATION", options.CacheInvalidation);
        options.TraceHitsOneIn = reader.Integer("TRACE_HITS_ONE_IN", options.TraceHitsOneIn, 0, 1_000_000);
        options.ShutdownTimeout = reader.Seconds("SHUTDOWN_TIMEOUT_SECONDS", options.ShutdownTimeout, 0, 3600);

        foreach (var clash in options.ListeningPorts.Where(p => p.Port != 0).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            options.Problems.Add($"{string.Join(" and ", clash.Select(p => p.Setting))} must differ (all are {clash.Key}).");
        }
    }

    private readonly struct Reader(IConfiguration configuration, List<string> problems)
    {
        public string Text(string name, string fallback)
        {
            var raw = configuration[name];
            if (raw is null)
            {
                return fallback;
            }

            if (string.IsNullOrWhiteSpace(raw))
            {
                problems.Add($"{name} must not be empty.");
                return fallback;
            }

            return raw.Trim();
        }

        public string? OptionalText(string name)
        {
            var raw = configuration[name];
            return string.IsNullOrEmpty(raw) ? null : raw;
        }

        public bool Boolean(string name, bool fallback)
        {
            var raw = configuration[name];
            if (raw is null)
            {
                return fallback;
            }

            switch (raw.Trim().ToLowerInvariant())
            {
                case "true" or "1" or "yes" or "on":
                    return true;
                case "false" or "0" or "no" or "off":
                    return false;
                default:
                    problems.Add($"{name} must be true or false (got '{raw}').");
                    return fallback;
            }
        }

        /// <summary>An optional secret: absent is null; a problem never repeats the value.</summary>
        public string? Secret(string name)
        {
            var raw = configuration[name];
            if (raw is not null && raw.Length == 0)
            {
                problems.Add($"{name} must not be empty; leave it unset to turn the password off.");
                return null;
            }

            return raw;
        }

        public string Address(string name, string fallback)
        {
            var text = Text(name, fallback);
            if (text != "localhost" && text != "*" && !System.Net.IPAddress.TryParse(text, out _))
            {
                problems.Add($"{name} must be an IP address such as 0.0.0.0 or 127.0.0.1 (got '{text}').");
            }

            return text;
        }

        public int Integer(string name, int fallback, int min, int max) => (int)LongInteger(name, fallback, min, max);

        public long LongInteger(string name, long fallback, long min, long max)
        {
            var raw = configuration[name];
            if (raw is null)
            {
                return fallback;
            }

            if (!long.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                problems.Add($"{name} must be a whole number from {min} to {max} (got '{raw}').");
                return fallback;
            }

            return value;
        }

        /// <summary>A whole number of seconds, as a time span.</summary>
        public TimeSpan Seconds(string name, TimeSpan fallback, int min, int max) =>
            TimeSpan.FromSeconds(Integer(name, (int)fallback.TotalSeconds, min, max));

        public double PositiveNumber(string name, double fallback, double max)
        {
            var raw = configuration[name];
            if (raw is null)
            {
                return fallback;
            }

            if (!double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value) || value <= 0 || value > max)
            {
                problems.Add($"{name} must be a number of seconds greater than 0 and at most {max} (got '{raw}').");
                return fallback;
            }

            return value;
        }

        /// <summary>Command names separated by commas (<c>keys, config|set</c>), lower-cased.</summary>
        public string[] CommandNames(string name)
        {
            var raw = configuration[name];
            if (raw is null)
            {
                return [];
            }

            var names = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => n.ToLowerInvariant())
                .ToArray();
            var bad = names.FirstOrDefault(n => !n.All(c => char.IsAsciiLetterOrDigit(c) || c is '|' or '-' or '_' or '.'));
            if (bad is not null)
            {
                problems.Add($"{name} must list command names separated by commas, a subcommand as config|set (got '{bad}').");
                return [];
            }

            return names;
        }

        /// <summary>One of the enum's names, lower-case in the variable (e.g. <c>off</c>, <c>tracking</c>).</summary>
        public TEnum Choice<TEnum>(string name, TEnum fallback)
            where TEnum : struct, Enum
        {
            var raw = configuration[name];
            if (raw is null)
            {
                return fallback;
            }

            var match = Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, raw.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                var names = string.Join(" or ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()));
                problems.Add($"{name} must be {names} (got '{raw}').");
                return fallback;
            }

            return Enum.Parse<TEnum>(match);
        }
    }
}
