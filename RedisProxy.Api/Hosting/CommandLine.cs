namespace RedisProxy.Api.Hosting;

/// <summary>
/// The options of the <c>redis-proxy</c> command (the .NET tool), each a short name for one of the environment
/// variables, which keep working; an option given wins over its variable. Any setting can also be given as
/// <c>--NAME=value</c>.
/// </summary>
internal static class CommandLine
{
    private static readonly (string Option, string Setting, string Meaning)[] Options =
    [
        ("--backend", "ConnectionStrings:redis", "the Redis to cache: host:port, or any StackExchange.Redis connection string (cluster, Sentinel, TLS)"),
        ("--ip", "PROXY_IP", "address to listen on (default 0.0.0.0)"),
        ("--port", "PROXY_PORT", "HTTP port for keys (default 8989)"),
        ("--resp-port", "PROXY_RESP_PORT", "Redis protocol port (default 6380)"),
        ("--management-port", "PROXY_MANAGEMENT_PORT", "port for /health, /alive and /status (default 8990)"),
        ("--capacity", "CACHE_CAPACITY", "entries the cache holds (default 1500)"),
        ("--expiry", "CACHE_EXPIRY", "seconds an entry lives at most (default 3600)"),
        ("--max-concurrent-requests", "MAX_CONCURRENT_REQUESTS", "backend calls at once (default 11)"),
        ("--invalidation", "CACHE_INVALIDATION", "off, or tracking to keep the cache coherent with Redis"),
    ];

    /// <summary>The switch mappings for <c>AddCommandLine</c>.</summary>
    public static Dictionary<string, string> SwitchMappings { get; } = Options.ToDictionary(o => o.Option, o => o.Setting, StringComparer.Ordinal);

    public static bool WantsHelp(string[] args) => args.Any(arg => arg is "--help" or "-h" or "-?");

    /// <summary>The first argument that is neither a known option (with its value) nor a <c>--NAME=value</c> setting; null when none.</summary>
    public static string? FirstUnknown(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].Split('=', 2)[0];
            if (SwitchMappings.ContainsKey(name))
            {
                i += args[i].Contains('=', StringComparison.Ordinal) ? 0 : 1;
            }
            else if (!args[i].StartsWith("--", StringComparison.Ordinal) || !args[i].Contains('=', StringComparison.Ordinal))
            {
                return args[i];
            }
        }

        return null;
    }

    public static string Usage()
    {
        var width = Options.Max(o => o.Option.Length) + 2;
        return string.Join('\n',
        [
            "redis-proxy: a caching proxy in front of Redis, speaking HTTP and the Redis protocol.",
            "",
            "Usage: redis-proxy [options]",
            "",
            "Options (each also set by the environment variable named after it):",
            .. Options.Select(o => $"  {o.Option.PadRight(width)}{o.Meaning} [{o.Setting.Replace(":", "__", StringComparison.Ordinal)}]"),
            $"  {"--NAME=value".PadRight(width)}any other setting, by its variable's name (see the README)",
            $"  {"--help".PadRight(width)}this text",
            "",
            "Example: redis-proxy --backend localhost:6379 --port 8989 --resp-port 6380",
        ]) + "\n";
    }
}
