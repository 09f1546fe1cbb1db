using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Logs the backend connection going down and coming back, once per transition. StackExchange.Redis's own log
/// repeats every reconnect attempt, so its category is quietened in appsettings.json and this speaks instead.
/// </summary>
internal sealed partial class BackendConnectionLog(BackendConnections connections, ILogger<BackendConnectionLog> logger) : IHostedService
{
    private int _down;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        connections.ConnectionFailed += OnConnectionFailed;
        connections.ConnectionRestored += OnConnectionRestored;
        if (!connections.Shared.IsConnected && Interlocked.Exchange(ref _down, 1) == 0)
        {
            var endPoints = BackendEndPoints.Describe(connections.Shared);
            LogUnreachableAtStart(logger, endPoints);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        connections.ConnectionFailed -= OnConnectionFailed;
        connections.ConnectionRestored -= OnConnectionRestored;
        return Task.CompletedTask;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive || Interlocked.Exchange(ref _down, 1) == 1)
        {
            return;
        }

        var endPoints = BackendEndPoints.Describe(connections.Shared);
        LogLost(logger, endPoints, e.FailureType);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive || Interlocked.Exchange(ref _down, 0) == 0)
        {
            return;
        }

        var endPoints = BackendEndPoints.Describe(connections.Shared);
        LogRestored(logger, endPoints);
    }

    // Only the endpoints: the configuration string would carry the password.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Backend {EndPoints} unreachable at start-up; serving what is cached and retrying")]
    private static partial void LogUnreachableAtStart(ILogger logger, string endPoints);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backend connection to {EndPoint} lost ({FailureType}); retrying")]
    private static partial void LogLost(ILogger logger, string endPoint, ConnectionFailureType failureType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backend connection to {EndPoint} restored")]
    private static partial void LogRestored(ILogger logger, string endPoint);
}
