using System.Net;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Turns a Sentinel configuration into a plain one to the primary the sentinels name at start-up. The proxy follows
/// the sentinels itself (<see cref="SentinelWatcher"/>); a client library connection in Sentinel mode would also,
/// by synchronous queries on the thread pool whenever the primary's connection fails, which stalls the whole proxy
/// for seconds in the middle of a failover.
/// </summary>
internal static class SentinelPrimary
{
    /// <summary>
    /// Points <paramref name="options"/> at the named primary if it names a Sentinel service; unchanged when no
    /// sentinel answers (<see cref="BackendConnections"/> then moves to the primary once one does).
    /// </summary>
    public static void Pin(ConfigurationOptions options)
    {
        if (string.IsNullOrEmpty(options.ServiceName) || Resolve(options) is not { } primary)
        {
            return;
        }

        BackendConnection.PointAt(options, primary);
    }

    private static EndPoint? Resolve(ConfigurationOptions options)
    {
        foreach (var sentinelEndPoint in options.EndPoints.ToList())
        {
            try
            {
                using var sentinel = ConnectionMultiplexer.Connect(new ConfigurationOptions
                {
                    EndPoints = { sentinelEndPoint },
                    CommandMap = CommandMap.Sentinel,
                    ConnectTimeout = options.ConnectTimeout,
                    SyncTimeout = options.ConnectTimeout,
                    Ssl = options.Ssl,
                });
                if (sentinel.GetServer(sentinelEndPoint).SentinelGetMasterAddressByName(options.ServiceName!) is { } primary)
                {
                    return primary;
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Another sentinel may answer.
            }
        }

        return null;
    }
}
