using Microsoft.Extensions.Options;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Backend.Pinned;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Core;
using RedisProxy.Api.Resp.Parser;
using RedisProxy.Api.Security;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Resp;

/// <summary>What every RESP session shares: the one proxy core, the backend's commands and the policy on them, the limits, the password, the client registry and what CONFIG GET answers.</summary>
internal sealed class RespServerContext(
    CachingProxy proxy,
    BackendCommands commands,
    PinnedConnectionPool pinned,
    ClientPassword password,
    RespClients clients,
    IRedisBackend backend,
    IOptions<ProxyOptions> options,
    ProxyMetrics metrics,
    HitSampler hits,
    TimeProvider time)
{
    /// <summary>The commands' spans and durations.</summary>
    public CommandTelemetry Telemetry { get; } = new(metrics, hits);

    /// <summary>The backend connections a client may hold for itself (transactions, subscribers, blocking commands).</summary>
    public PinnedConnectionPool Pinned { get; } = pinned;

    public CachingProxy Proxy { get; } = proxy;

    /// <summary>What the backend says of its commands: how forwarded commands are routed and what they change.</summary>
    public BackendCommands Commands { get; } = commands;

    /// <summary>Which forwarded commands are refused.</summary>
    public CommandPolicy Policy { get; } = new(options.Value);

    public ClientPassword Password { get; } = password;

    public RespClients Clients { get; } = clients;

    public TimeProvider Time { get; } = time;

    public ProxyOptions Settings { get; } = options.Value;

    public RespLimits Limits { get; } = new(options.Value.RespMaxBulkBytes, options.Value.RespMaxMultibulkLength, options.Value.RespMaxInlineBytes);

    /// <summary>The Redis version HELLO reports: the backend's, so clients pick the commands it has.</summary>
    public string RedisVersion => backend.Version ?? RespServerInfo.RedisVersion;

    /// <summary>What CONFIG GET answers.</summary>
    public RespServerConfig Config { get; } = new(options.Value);
}
