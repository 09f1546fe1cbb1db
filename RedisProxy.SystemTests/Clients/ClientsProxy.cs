using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Clients;

/// <summary>The proxy with its defaults over a redis-server of its own, for real client libraries pointed at it.</summary>
public sealed class ClientsProxy : StandaloneProxy
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["BACKEND_TIMEOUT_MS"] = "10000",
    };

    /// <summary>The connection string an application would use for the proxy's RESP port.</summary>
    public string ConnectionString => $"{Api.RespEndpoint.Host}:{Api.RespEndpoint.Port}";
}
