using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// The resilience pipeline around every backend call: a circuit breaker, so a dead backend is answered at once
/// instead of once per timeout. Each call's own timeout is <see cref="RedisBackend"/>'s (one timer per call, not a
/// strategy here). State changes are logged once each.
/// </summary>
internal static class BackendResilience
{
    public static IServiceCollection AddBackendResilience(this IServiceCollection services)
    {
        services.AddResiliencePipeline(RedisBackend.PipelineName, (pipeline, context) =>
        {
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BackendResilience).FullName!);
            pipeline
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder()
                        .Handle<RedisConnectionException>()
                        // RedisTimeoutException included: it is a TimeoutException too.
                        .Handle<TimeoutException>(),
                    FailureRatio = 0.5,
                    MinimumThroughput = 4,
                    SamplingDuration = TimeSpan.FromSeconds(5),
                    BreakDuration = TimeSpan.FromSeconds(1),
                    OnOpened = args =>
                    {
                        logger.LogWarning("Backend circuit opened for {BreakDuration} after repeated failures", args.BreakDuration);
                        return ValueTask.CompletedTask;
                    },
                    OnClosed = _ =>
                    {
                        logger.LogInformation("Backend circuit closed: the backend answers again");
                        return ValueTask.CompletedTask;
                    },
                });
        });
        return services;
    }
}
