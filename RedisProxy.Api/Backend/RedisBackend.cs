using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;
using RedisProxy.Api.Core;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// The backing Redis as the proxy core sees it: every call runs through the resilience pipeline (a timeout
/// inside a circuit breaker) and every failure comes out as one of the <see cref="ProxyFailureException"/> kinds.
/// </summary>
internal sealed class RedisBackend(IConnectionMultiplexer redis, ResiliencePipelineProvider<string> pipelines)
{
    public const string PipelineName = "redis-backend";

    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(PipelineName);

    /// <summary>The value of a string key, leased from a pool (the caller disposes it); null when the key is absent.</summary>
    public async Task<Lease<byte>?> GetAsync(byte[] key, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(static (db, key) => db.StringGetLeaseAsync(key), key, cancellationToken);
        }
        catch (RedisServerException e) when (IsWrongType(e))
        {
            throw new WrongTypeException(await DescribeTypeAsync(key));
        }
    }

    public async Task<RedisValue[]> GetManyAsync(RedisKey[] keys, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(static (db, keys) => db.StringGetAsync(keys), keys, cancellationToken);
        }
        catch (RedisServerException e) when (IsWrongType(e))
        {
            throw new WrongTypeException("value of another type");
        }
    }

    public Task SetAsync(byte[] key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken) =>
        RunAsync(static (db, state) => db.StringSetAsync(state.key, state.value), (key, value), cancellationToken);

    public Task<long> DeleteAsync(RedisKey[] keys, CancellationToken cancellationToken) =>
        RunAsync(static (db, keys) => db.KeyDeleteAsync(keys), keys, cancellationToken);

    private async Task<TResult> RunAsync<TState, TResult>(
        Func<IDatabase, TState, Task<TResult>> command, TState state, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (s, token) =>
                    // StackExchange.Redis takes no token, so the wait is what the timeout cancels.
                    await s.command(s.db, s.state).WaitAsync(token),
                (command, db: redis.GetDatabase(), state),
                cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new BackendTimeoutException("the backend did not answer in time", e);
        }
        catch (RedisTimeoutException e)
        {
            throw new BackendTimeoutException("the backend did not answer in time", e);
        }
        catch (BrokenCircuitException e)
        {
            throw new BackendUnavailableException("the backend is unavailable (recent requests failed; retrying shortly)", e);
        }
        catch (RedisConnectionException e)
        {
            throw new BackendUnavailableException("the backend is unreachable", e);
        }
    }

    private async Task<string> DescribeTypeAsync(byte[] key)
    {
        try
        {
            var type = await redis.GetDatabase().KeyTypeAsync(key);
            return type.ToString().ToLowerInvariant();
        }
        catch (RedisException)
        {
            return "value of another type";
        }
    }

    private static bool IsWrongType(RedisServerException e) => e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal);
}
