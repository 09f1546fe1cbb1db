namespace RedisProxy.Api.Http;

/// <summary>The two keys the HTTP front door keeps for itself (the seed's routes); RESP reaches them as keys.</summary>
internal static class ReservedPaths
{
    public static bool IsPing(ReadOnlySpan<byte> key) => key.SequenceEqual("ping"u8);

    public static bool IsCache(ReadOnlySpan<byte> key) => key.SequenceEqual("cache"u8);
}
