using System.Collections.Frozen;
using System.Text;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Redis commands the proxy deliberately refuses: writes other than SET and DEL (they would bypass or corrupt the
/// cache), admin and keyspace-wide commands (they would act on the backend behind the proxy's back), and
/// connection modes it does not implement. A client gets a clear "not supported" instead of "unknown".
/// </summary>
internal static class RefusedCommands
{
    private static readonly FrozenSet<string> Names = new[]
    {
        // Writes that would leave the cache stale.
        "APPEND", "COPY", "DECR", "DECRBY", "EXPIRE", "EXPIREAT", "GETDEL", "GETEX", "GETSET", "INCR", "INCRBY",
        "INCRBYFLOAT", "MOVE", "MSET", "MSETNX", "PERSIST", "PEXPIRE", "PEXPIREAT", "PSETEX", "RENAME", "RENAMENX",
        "RESTORE", "SETEX", "SETNX", "SETRANGE", "LPUSH", "RPUSH", "LPOP", "RPOP", "LSET", "SADD", "SREM",
        "SPOP", "HSET", "HSETNX", "HMSET", "HDEL", "HINCRBY", "ZADD", "ZREM", "ZINCRBY", "XADD", "BITOP", "BITFIELD",
        // Admin, scripting and keyspace-wide commands.
        "FLUSHALL", "FLUSHDB", "KEYS", "SCAN", "RANDOMKEY", "DBSIZE", "SWAPDB", "SAVE", "BGSAVE",
        "BGREWRITEAOF", "SHUTDOWN", "DEBUG", "MONITOR", "REPLICAOF", "SLAVEOF", "MIGRATE", "EVAL", "EVALSHA",
        "SCRIPT", "FUNCTION", "FCALL", "ACL", "CLUSTER", "SENTINEL", "SLOWLOG", "LATENCY", "MEMORY", "MODULE",
        // Connection modes the proxy does not implement.
        "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE",
        "PUBLISH", "WAIT", "READONLY", "READWRITE",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly int LongestName = Names.Max(n => n.Length);

    /// <summary>The refused command's upper-case name, or null when <paramref name="name"/> is not refused.</summary>
    public static string? Match(ReadOnlySpan<byte> name)
    {
        if (name.Length > LongestName || !Ascii.IsValid(name))
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(name);
        return Names.Contains(text) ? text.ToUpperInvariant() : null;
    }
}
