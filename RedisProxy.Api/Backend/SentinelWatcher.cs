using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Watches the sentinels of a Sentinel deployment: the primary they name, and each <c>+switch-master</c> they announce
/// (on every sentinel, so one lost connection misses none), checked again every second in case an announcement was
/// missed. Each primary it learns of is handed to <c>onPrimary</c>.
/// </summary>
internal sealed class SentinelWatcher(ConfigurationOptions configured, Func<EndPoint, Task> onPrimary) : IAsyncDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private static readonly RedisChannel SwitchMaster = RedisChannel.Literal("+switch-master");

    private readonly List<ConnectionMultiplexer> _sentinels = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _checking;

    public string ServiceName { get; } = configured.ServiceName ?? throw new ArgumentException("Not a Sentinel configuration.", nameof(configured));

    public async Task StartAsync()
    {
        foreach (var endPoint in configured.EndPoints)
        {
            var sentinel = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
            {
                EndPoints = { endPoint },
                CommandMap = CommandMap.Sentinel,
                AbortOnConnectFail = false,
                ConnectTimeout = configured.ConnectTimeout,
                Ssl = configured.Ssl,
            });
            _sentinels.Add(sentinel);
            await sentinel.GetSubscriber().SubscribeAsync(SwitchMaster, (channel, message) => _ = OnSwitchAsync(message));
        }

        _checking = CheckPeriodicallyAsync(_stop.Token);
    }

    /// <summary>The primary the sentinels name now (the first that answers); null when none does.</summary>
    public async Task<EndPoint?> ResolveAsync()
    {
        foreach (var sentinel in _sentinels.Where(s => s.IsConnected))
        {
            try
            {
                var reply = await sentinel.GetServers()[0].ExecuteAsync("SENTINEL", "get-master-addr-by-name", ServiceName);
                if (!reply.IsNull && (string?[]?)reply is [{ } host, { } port])
                {
                    return ParseEndPoint(host, port);
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Another sentinel may answer.
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_checking is not null)
        {
            await _checking;
        }

        foreach (var sentinel in _sentinels)
        {
            await sentinel.DisposeAsync();
        }

        _stop.Dispose();
    }

    /// <summary><c>+switch-master</c>: "name old-ip old-port new-ip new-port".</summary>
    private async Task OnSwitchAsync(RedisValue message)
    {
        var parts = ((string?)message ?? "").Split(' ');
        if (parts.Length == 5 && parts[0] == ServiceName)
        {
            await FollowAsync(ParseEndPoint(parts[3], parts[4]));
        }
    }

    /// <summary>Hands on a primary; a failure to reach it is left to the next check, a second later.</summary>
    private async Task FollowAsync(EndPoint primary)
    {
        try
        {
            await onPrimary(primary);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or SocketException)
        {
            // The next periodic check tries again.
        }
    }

    private async Task CheckPeriodicallyAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await ResolveAsync() is { } primary)
            {
                await FollowAsync(primary);
            }

            try
            {
                await Task.Delay(CheckInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static EndPoint ParseEndPoint(string host, string port) =>
        IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, int.Parse(port, CultureInfo.InvariantCulture))
            : new DnsEndPoint(host, int.Parse(port, CultureInfo.InvariantCulture));
}
