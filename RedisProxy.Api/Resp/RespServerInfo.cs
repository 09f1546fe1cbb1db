using System.Globalization;
using System.Text;

namespace RedisProxy.Api.Resp;

/// <summary>
/// The text of INFO, in Redis's <c>field:value</c> format. Stats describe the proxy's own cache: a hit is a read
/// answered locally, a miss one that went to Redis.
/// </summary>
internal static class RespServerInfo
{
    /// <summary>The Redis version the proxy speaks like; clients use it to pick commands (HELLO needs 6 or later).</summary>
    public static ReadOnlySpan<byte> RedisVersion => "7.2.0"u8;

    private static readonly string[] DefaultSections = ["server", "clients", "stats", "replication", "proxy"];

    public static string Build(IReadOnlyCollection<string> requested, RespServerContext server, TimeProvider time)
    {
        var all = requested.Count == 0 || requested.Any(s => s is "all" or "everything" or "default");
        var sections = all ? DefaultSections : [.. requested];
        var text = new StringBuilder();
        foreach (var section in sections)
        {
            switch (section)
            {
                case "server":
                    Section(text, "Server");
                    Line(text, "redis_version", Encoding.ASCII.GetString(RedisVersion));
                    Line(text, "redis_mode", "standalone");
                    Line(text, "proxy", "RedisProxy (a caching read-through proxy; stats describe its own cache)");
                    Line(text, "process_id", Environment.ProcessId);
                    Line(text, "tcp_port", server.Settings.RespPort);
                    Line(text, "uptime_in_seconds", (long)(time.GetUtcNow() - server.Clients.StartedAt).TotalSeconds);
                    break;
                case "clients":
                    Section(text, "Clients");
                    Line(text, "connected_clients", server.Clients.Connected);
                    break;
                case "stats":
                    var statistics = server.Proxy.Statistics;
                    Section(text, "Stats");
                    Line(text, "total_connections_received", server.Clients.TotalConnections);
                    Line(text, "keyspace_hits", statistics.Hits);
                    Line(text, "keyspace_misses", statistics.Misses);
                    Line(text, "evicted_keys", statistics.Evictions);
                    Line(text, "expired_keys", statistics.Expirations);
                    break;
                case "replication":
                    Section(text, "Replication");
                    Line(text, "role", "master");
                    Line(text, "connected_slaves", 0);
                    break;
                case "proxy":
                    Section(text, "Proxy");
                    Line(text, "cached_keys", server.Proxy.CachedKeys);
                    Line(text, "cache_capacity", server.Proxy.Capacity);
                    break;
                default:
                    // Redis answers unknown sections with nothing.
                    break;
            }
        }

        return text.ToString();
    }

    private static void Section(StringBuilder text, string name)
    {
        if (text.Length > 0)
        {
            text.Append("\r\n");
        }

        text.Append("# ").Append(name).Append("\r\n");
    }

    private static void Line<T>(StringBuilder text, string name, T value)
        where T : IFormattable =>
        text.Append(name).Append(':').Append(value.ToString(null, CultureInfo.InvariantCulture)).Append("\r\n");

    private static void Line(StringBuilder text, string name, string value) => text.Append(name).Append(':').Append(value).Append("\r\n");
}
