using System.Globalization;
using System.Text;
using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Resp;

/// <summary>
/// The parameters CONFIG GET answers: a few that clients ask for at connect (StackExchange.Redis: timeout,
/// replica-read-only, databases; redis-benchmark: save, appendonly), each describing the proxy itself and read from
/// the settings it runs with. Anything else is unknown, as an unknown parameter is to Redis: left out of the reply.
/// </summary>
internal sealed class RespServerConfig
{
    /// <summary>The databases SELECT accepts: Redis's default number.</summary>
    public const int Databases = 16;

    private readonly (byte[] Name, byte[] Value)[] _parameters;

    public RespServerConfig(ProxyOptions settings)
    {
        _parameters =
        [
            // The proxy keeps nothing on disk (appendonly and save); the backend's persistence is its own.
            Parameter("appendonly", "no"),
            Parameter("databases", Databases),

            // CACHE_MAX_BYTES bounds the cache's key and value bytes (0: no byte limit; CACHE_CAPACITY bounds entries).
            Parameter("maxmemory", settings.CacheMaxBytes),

            // The cache drops the least recently used entry of any key when full; the key stays in Redis.
            Parameter("maxmemory-policy", "allkeys-lru"),
            Parameter("proto-max-bulk-len", settings.RespMaxBulkBytes),

            // A primary's default. The proxy is never a replica (INFO and HELLO say role master), so clients that read
            // this (StackExchange.Redis) see what they see from a primary Redis and still send it their writes.
            Parameter("replica-read-only", "yes"),
            Parameter("save", ""),
            Parameter("slave-read-only", "yes"),

            // RESP_IDLE_TIMEOUT_SECONDS, Redis's timeout: a client told of it pings often enough to stay connected.
            Parameter("timeout", (long)settings.RespIdleTimeout.TotalSeconds),
        ];

        HelpLines =
        [
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET <pattern> [<pattern> ...]",
            "    Return parameters matching the glob-like <pattern> and their values. The proxy describes itself with:",
            "    " + string.Join(", ", _parameters.Select(p => Encoding.ASCII.GetString(p.Name))) + ".",
            "SET, RESETSTAT, REWRITE",
            "    Not supported: the proxy is configured by its environment at start-up.",
            "HELP",
            "    Prints this help.",
        ];
    }

    /// <summary>How many parameters there are; a reply never lists more.</summary>
    public int Count => _parameters.Length;

    /// <summary>What CONFIG HELP prints, one simple string a line.</summary>
    public IReadOnlyList<string> HelpLines { get; }

    public ReadOnlySpan<byte> Name(int index) => _parameters[index].Name;

    public ReadOnlySpan<byte> Value(int index) => _parameters[index].Value;

    /// <summary>The parameter named <paramref name="name"/> in any case, or -1.</summary>
    public int Find(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(name, _parameters[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    private static (byte[] Name, byte[] Value) Parameter(string name, string value) => (Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));

    private static (byte[] Name, byte[] Value) Parameter(string name, long value) => Parameter(name, value.ToString(CultureInfo.InvariantCulture));
}
