using Microsoft.Extensions.Options;
using RedisProxy.Api.Configuration;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// The proxy's connections to the backend, one per protocol: RESP2 (the application's shared connection) and RESP3,
/// opened at start-up beside it. A forwarded reply goes back to the client byte for byte, so it must come in the
/// protocol the client speaks (RESP3 maps, doubles and sets have no exact RESP2 form).
/// </summary>
internal sealed class BackendConnections : IAsyncDisposable
{
    private readonly IConnectionMultiplexer _resp2;
    private readonly Task<ConnectionMultiplexer> _resp3;

    public BackendConnections(IConnectionMultiplexer resp2, IConfiguration configuration, IOptions<ProxyOptions> options)
    {
        _resp2 = resp2;
        var resp3Options = BackendConnection.CreateOptions(configuration, options.Value);
        resp3Options.Protocol = RedisProtocol.Resp3;
        // Like the shared connection it keeps retrying in the background while the backend is down.
        _resp3 = ConnectionMultiplexer.ConnectAsync(resp3Options);
    }

    /// <summary>The shared RESP2 connection, which everything but RESP3 forwarding uses.</summary>
    public IConnectionMultiplexer Shared => _resp2;

    /// <summary>The connection of <paramref name="protocol"/>; in the first moments after start-up the RESP3 one may still be on its way.</summary>
    public IConnectionMultiplexer For(RedisProtocol protocol) => protocol == RedisProtocol.Resp3 ? _resp3.GetAwaiter().GetResult() : _resp2;

    public async ValueTask DisposeAsync() => await (await _resp3).DisposeAsync();
}
