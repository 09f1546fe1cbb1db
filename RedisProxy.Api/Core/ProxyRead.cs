namespace RedisProxy.Api.Core;

/// <summary>The answer to a read: the value if the key exists, and where it came from.</summary>
internal readonly record struct ProxyRead(bool Found, ReadOnlyMemory<byte> Value, ReadSource Source)
{
    public static ProxyRead Absent => new(false, default, ReadSource.Redis);

    public static ProxyRead FromLocal(ReadOnlyMemory<byte> value) => new(true, value, ReadSource.Local);

    public static ProxyRead FromRedis(ReadOnlyMemory<byte> value) => new(true, value, ReadSource.Redis);
}
