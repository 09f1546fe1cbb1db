using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// The resilience pipeline around every backend call: a circuit breaker, so a dead backend is answered at once
/// instead of once per timeout. Each call's own timeout is <see cref="RedisBackend"/>'s (one timer per call, not a
/// strategy here). State changes are logged once each.
/// <para>
/// Built with Polly's own builder rather than registered through its DI extension, which would add Polly's telemetry
/// to every call: two clock reads and an event per execution for logs the proxy filters out and metrics nobody reads,
/// about a tenth of a read-through miss's CPU (docs/performance.md).
/// </para>
/// </summary>
internal static class BackendResilience
{
    public static IServiceCollection AddBackendResilience(this IServiceCollection services) =>
        services.AddSingleton<CircuitBreakerManualControl>()
            .AddKeyedSingleton(RedisBackend.PipelineName, (provider, _) => Build(
                provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BackendResilience).FullName!),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<CircuitBreakerManualControl>()));

    /// <param name="control">Closes the circuit from outside: when a new primary takes over, the failures of the old one no longer count.</param>
    private static ResiliencePipeline Build(ILogger logger, TimeProvider time, CircuitBreakerManualControl control) =>
        new ResiliencePipelineBuilder { TimeProvider = time, Name = RedisBackend.PipelineName }
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
                ManualControl = control,
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
            })
            .Build();
}
