using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// The backing Redis as the proxy core uses it. Every call is bounded by BACKEND_TIMEOUT_MS, and every failure comes
/// out as one of the <see cref="Failures.ProxyFailureException"/> kinds. Calls made one after another from one thread
/// are sent in that order.
/// </summary>
internal interface IRedisBackend
{
    /// <summary>The value of a string key, leased from a pool (the caller disposes it); null when the key is absent.</summary>
    Task<Lease<byte>?> GetAsync(byte[] key, CancellationToken cancellationToken);

    /// <summary>Which keys one MGET may read together: all of them (0), or on a Redis Cluster those of one hash slot.</summary>
    int BatchGroupOf(byte[] key);

    /// <summary>The values of string keys, in order; nil for an absent key and for a key of another type.</summary>
    Task<RedisValue[]> GetManyAsync(RedisKey[] keys, CancellationToken cancellationToken);

    /// <summary>How many of the keys exist, of any type; a key named twice counts twice.</summary>
    Task<long> CountExistingAsync(RedisKey[] keys, CancellationToken cancellationToken);

    Task SetAsync(byte[] key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken);

    /// <summary>Deletes the keys; returns how many existed.</summary>
    Task<long> DeleteAsync(RedisKey[] keys, CancellationToken cancellationToken);
}
