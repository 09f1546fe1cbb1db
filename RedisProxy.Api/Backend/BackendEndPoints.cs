using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Where the backend is, as host:port only: the connection configuration also carries the password, so logs and
/// the status report name endpoints and nothing else.
/// </summary>
internal static class BackendEndPoints
{
    public static string HostAndPort(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}"),
        IPEndPoint ip => ip.ToString(),
        _ => endpoint.ToString() ?? "unknown",
    };

    /// <summary>The host and the port apart, as OpenTelemetry's <c>server.address</c> and <c>server.port</c> want them.</summary>
    public static (string Host, int Port) Split(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => (dns.Host, dns.Port),
        IPEndPoint ip => (ip.Address.ToString(), ip.Port),
        _ => (endpoint.ToString() ?? "unknown", 0),
    };

    public static string Describe(IConnectionMultiplexer redis) =>
        string.Join(", ", redis.GetEndPoints().Select(HostAndPort));
}
