using System.Diagnostics;

namespace RedisProxy.Api.Telemetry;

/// <summary>The names under which the proxy publishes its metrics and traces (ServiceDefaults exports both).</summary>
internal static class ProxyTelemetry
{
    /// <summary>Equals the application name, which ServiceDefaults already adds as a trace source.</summary>
    public const string Name = "RedisProxy.Api";

    public static readonly ActivitySource Source = new(Name);
}
