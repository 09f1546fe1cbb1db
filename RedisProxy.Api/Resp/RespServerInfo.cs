using System.Globalization;
using System.Text;

namespace RedisProxy.Api.Resp;

/// <summary>
/// The text of INFO, in Redis's <c>field:value</c> format: the backend's own sections as it wrote them, then the
/// proxy's (<c># Proxy</c>: its cache and its clients). While the backend cannot be asked, the proxy describes itself
/// in Redis's sections, its cache's hits and misses as <c>keyspace_hits</c> and <c>keyspace_misses</c>.
/// </summary>
internal static class RespServerInfo
{
    /// <summary>The Redis version the proxy speaks like when the backend cannot say; clients use it to pick commands.</summary>
    public const string RedisVersion = "7.2.0";

    private static readonly string[] DefaultSections = ["server", "clients", "stats", "replication", "proxy"];

    /// <param name="backendText">The backend's reply to the same INFO; null when it could not be asked.</param>
    public static string Build(IReadOnlyCollection<string> requested, string? backendText, RespServerContext server, TimeProvider time)
    {
        var all = requested.Count == 0 || requested.Any(s => s is "all" or "everything" or "default");
        if (backendText is not null)
        {
            var text = new StringBuilder(backendText);
            if (all || requested.Contains("proxy"))
            {
                if (text.Length > 0)
                {
                    text.Append("\r\n");
                }

                AppendProxy(text, server);
            }

            return text.ToString();
        }

        return BuildAlone(all ? DefaultSections : requested, server, time);
    }

    private static string BuildAlone(IEnumerable<string> sections, RespServerContext server, TimeProvider time)
    {
        var text = new StringBuilder();
        foreach (var section in sections)
        {
            switch (section)
            {
                case "server":
                    Section(text, "Server");
                    Line(text, "redis_version", RedisVersion);
                    Line(text, "redis_mode", "standalone");
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
                    if (text.Length > 0)
                    {
                        text.Append("\r\n");
                    }

                    AppendProxy(text, server);
                    break;
                default:
                    // Redis answers unknown sections with nothing.
                    break;
            }
        }

        return text.ToString();
    }

    private static void AppendProxy(StringBuilder text, RespServerContext server)
    {
        var statistics = server.Proxy.Statistics;
        text.Append("# Proxy\r\n");
        Line(text, "proxy", "RedisProxy (a caching proxy; the other sections are the backend's)");
        Line(text, "proxy_connected_clients", server.Clients.Connected);
        Line(text, "proxy_total_connections_received", server.Clients.TotalConnections);
        Line(text, "cached_keys", server.Proxy.CachedKeys);
        Line(text, "cache_capacity", server.Proxy.Capacity);
        Line(text, "cache_hits", statistics.Hits);
        Line(text, "cache_misses", statistics.Misses);
        Line(text, "cache_evictions", statistics.Evictions);
        Line(text, "cache_expirations", statistics.Expirations);
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
