using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Logs the backend connection going down and coming back, once per transition. StackExchange.Redis's own log
/// repeats every reconnect attempt, so its category is quietened in appsettings.json and this speaks instead.
/// </summary>
internal sealed partial class BackendConnectionLog(IConnectionMultiplexer redis, ILogger<BackendConnectionLog> logger) : IHostedService
{
    private int _down;
    private string _endPoints = "the backend";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _endPoints = BackendEndPoints.Describe(redis);
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        if (!redis.IsConnected && Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogUnreachableAtStart(logger, _endPoints);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        return Task.CompletedTask;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive || Interlocked.Exchange(ref _down, 1) == 1)
        {
            return;
        }

        LogLost(logger, _endPoints, e.FailureType);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive || Interlocked.Exchange(ref _down, 0) == 0)
        {
            return;
        }

        LogRestored(logger, _endPoints);
    }

    // Only the endpoints: the configuration string would carry the password.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Backend {EndPoints} unreachable at start-up; serving what is cached and retrying")]
    private static partial void LogUnreachableAtStart(ILogger logger, string endPoints);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backend connection to {EndPoint} lost ({FailureType}); retrying")]
    private static partial void LogLost(ILogger logger, string endPoint, ConnectionFailureType failureType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backend connection to {EndPoint} restored")]
    private static partial void LogRestored(ILogger logger, string endPoint);
}
