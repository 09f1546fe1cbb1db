using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// The backing Redis as the proxy core uses it. Every call is bounded by BACKEND_TIMEOUT_MS, and every failure comes
/// out as one of the <see cref="Failures.ProxyFailureException"/> kinds. Calls made one after another from one thread
/// are sent in that order; <paramref name="database"/> is the Redis database number (SELECT).
/// </summary>
internal interface IRedisBackend
{
    /// <summary>
    /// The value of a string key and its time to live, read in one round trip (GET and PTTL pipelined); the value is
    /// leased from a pool (the caller disposes it); null when the key is absent.
    /// </summary>
    Task<(Lease<byte> Value, TimeSpan TimeToLive)?> GetAsync(byte[] key, int database, CancellationToken cancellationToken);

    /// <summary>Which keys one MGET may read together: all of them (0), or on a Redis Cluster those of one hash slot.</summary>
    int BatchGroupOf(byte[] key);

    /// <summary>
    /// The values of string keys and their times to live, in order, in one round trip (MGET and a PTTL per key); a
    /// null value for an absent key and for a key of another type.
    /// </summary>
    Task<TimedValue[]> GetManyAsync(RedisKey[] keys, int database, CancellationToken cancellationToken);

    /// <summary>How many of the keys exist, of any type; a key named twice counts twice.</summary>
    Task<long> CountExistingAsync(RedisKey[] keys, int database, CancellationToken cancellationToken);

    /// <summary>
    /// SET, with an expiry (EX/PX) when <paramref name="timeToLive"/> is not infinite, on the connection of
    /// <paramref name="protocol"/> (so it keeps its place among the same client's forwarded commands).
    /// </summary>
    Task SetAsync(byte[] key, int database, ReadOnlyMemory<byte> value, TimeSpan timeToLive, RedisProtocol protocol, CancellationToken cancellationToken);

    /// <summary>Deletes the keys; returns how many existed.</summary>
    Task<long> DeleteAsync(RedisKey[] keys, int database, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a client's command as it is (keys marked as keys, so a Redis Cluster routes it) over the connection of
    /// <paramref name="protocol"/>; the reply comes back undecoded, an error reply included.
    /// </summary>
    Task<ForwardedReply> ForwardAsync(string command, ReadOnlyMemory<RedisKeyOrValue> arguments, int database, RedisProtocol protocol, CancellationToken cancellationToken);

    /// <summary>What the backend says of its commands (COMMAND).</summary>
    Task<Commands.CommandTable> LoadCommandsAsync(CancellationToken cancellationToken);

    /// <summary>The version a connected primary reported when the client library connected to it; null while none is connected.</summary>
    string? Version { get; }
}
