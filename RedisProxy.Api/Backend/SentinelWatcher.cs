using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Watches the sentinels of a Sentinel deployment: each <c>+switch-master</c> they announce (on every sentinel, so one
/// lost connection misses none; see <see cref="SentinelAnnouncements"/>), and the primary they name, asked every
/// second in case an announcement was missed. An announced primary goes to <c>onAnnounced</c> the moment it is
/// heard, then, like every primary it learns of, to <c>onPrimary</c>.
/// <para>
/// After a failover the sentinels that did not lead it name the old primary until they hear of it, a second or two.
/// So the sentinels are asked together and the newest configuration (the highest config-epoch) wins, a view older
/// than the one followed is never followed, and neither is one naming another primary than an announcement that no
/// sentinel has confirmed yet.
/// </para>
/// </summary>
internal sealed class SentinelWatcher(ConfigurationOptions configured, Action<EndPoint> onAnnounced, Func<EndPoint, Task<bool>> onPrimary) : IAsyncDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a sentinel gets to answer: one that hangs must not hold up the others' view.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>How long an announcement that no sentinel confirms holds off other views.</summary>
    private static readonly TimeSpan AnnouncementLifetime = TimeSpan.FromSeconds(10);

    private readonly List<ConnectionMultiplexer> _sentinels = [];
    private readonly List<SentinelAnnouncements> _announcements = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>One primary is followed at a time, each checked against the newest view just before.</summary>
    private readonly SemaphoreSlim _following = new(1, 1);

    /// <summary>The config-epoch of the newest configuration followed.</summary>
    private long _epoch;

    /// <summary>The last announcement whose config-epoch is not known yet, with the epoch known before it.</summary>
    private Announcement? _announced;
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
            _announcements.Add(new SentinelAnnouncements(endPoint, message => OnAnnouncement(sentinel, message)));
        }

        _checking = CheckPeriodicallyAsync(_stop.Token);
    }

    /// <summary>Asks the sentinels where the primary is and follows it (after a READONLY reply, say); true when it moved.</summary>
    public async Task<bool> RefreshAsync()
    {
        var answers = await Task.WhenAll(_sentinels.Where(s => s.IsConnected).Select(AskAsync));
        if (answers.Where(answer => answer is not null).MaxBy(answer => answer!.Value.Epoch) is not { } newest)
        {
            return false;
        }

        await _following.WaitAsync();
        try
        {
            if (!IsNewest(newest.EndPoint, newest.Epoch))
            {
                return false;
            }

            InterlockedMax(ref _epoch, newest.Epoch);
            Confirm(newest.EndPoint, newest.Epoch);
            return await FollowAsync(newest.EndPoint);
        }
        finally
        {
            _following.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_checking is not null)
        {
            await _checking;
        }

        foreach (var announcements in _announcements)
        {
            announcements.Dispose();
        }

        foreach (var sentinel in _sentinels)
        {
            await sentinel.DisposeAsync();
        }

        _stop.Dispose();
        _following.Dispose();
    }

    /// <summary>
    /// Whether a view of the sentinels may be followed: at least as new as what was followed, and naming the announced
    /// primary while an announcement is pending. During a failover its leader names the old primary with the new
    /// config-epoch until it switches, so the epoch alone does not tell; a later failover announces itself as well.
    /// </summary>
    private bool IsNewest(EndPoint primary, long epoch)
    {
        if (Volatile.Read(ref _announced) is { } announced && !announced.Primary.Equals(primary))
        {
            if (Stopwatch.GetElapsedTime(announced.At) < AnnouncementLifetime)
            {
                return false;
            }

            // Never confirmed (its sentinels went away, say): the sentinels' view stands again.
            Interlocked.CompareExchange(ref _announced, null, announced);
        }

        return epoch >= Interlocked.Read(ref _epoch);
    }

    /// <summary>An announcement is confirmed once a sentinel names its primary with a config-epoch newer than before it.</summary>
    private void Confirm(EndPoint primary, long epoch)
    {
        if (Volatile.Read(ref _announced) is { } pending && pending.Primary.Equals(primary) && epoch > pending.EpochBefore)
        {
            Interlocked.CompareExchange(ref _announced, null, pending);
        }
    }

    /// <summary>
    /// <c>+switch-master</c>: "name old-ip old-port new-ip new-port", on the listening thread. The switch is announced
    /// at once (so the old primary's replies stop counting), then followed, then confirmed by the announcing
    /// sentinel's config-epoch.
    /// </summary>
    private void OnAnnouncement(ConnectionMultiplexer sentinel, string message)
    {
        var parts = message.Split(' ');
        if (parts.Length != 5 || parts[0] != ServiceName)
        {
            return;
        }

        var announced = ParseEndPoint(parts[3], parts[4]);
        Volatile.Write(ref _announced, new Announcement(announced, Interlocked.Read(ref _epoch), Stopwatch.GetTimestamp()));
        onAnnounced(announced);
        _ = Task.Run(() => FollowAnnouncedAsync(sentinel, announced));
    }

    private async Task FollowAnnouncedAsync(ConnectionMultiplexer sentinel, EndPoint announced)
    {
        await _following.WaitAsync();
        try
        {
            await FollowAsync(announced);
        }
        finally
        {
            _following.Release();
        }

        if (await AskAsync(sentinel) is { } known && known.EndPoint.Equals(announced))
        {
            InterlockedMax(ref _epoch, known.Epoch);
            Confirm(known.EndPoint, known.Epoch);
        }
    }

    private async Task<(EndPoint EndPoint, long Epoch)?> AskAsync(ConnectionMultiplexer sentinel)
    {
        try
        {
            var reply = await sentinel.GetServers()[0].ExecuteAsync("SENTINEL", "MASTER", ServiceName).WaitAsync(AskTimeout);
            var fields = reply.ToDictionary();
            return fields.TryGetValue("ip", out var ip) && fields.TryGetValue("port", out var port) && fields.TryGetValue("config-epoch", out var epoch)
                ? (ParseEndPoint((string)ip!, (string)port!), long.Parse((string)epoch!, CultureInfo.InvariantCulture))
                : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidCastException or FormatException or ArgumentException)
        {
            // Another sentinel may answer.
            return null;
        }
    }

    /// <summary>Hands on a primary; a failure to reach it is left to the next check, a second later.</summary>
    private async Task<bool> FollowAsync(EndPoint primary)
    {
        try
        {
            return await onPrimary(primary);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or SocketException)
        {
            return false;
        }
    }

    private async Task CheckPeriodicallyAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await RefreshAsync();
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

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current && Interlocked.CompareExchange(ref location, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    private static EndPoint ParseEndPoint(string host, string port) =>
        IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, int.Parse(port, CultureInfo.InvariantCulture))
            : new DnsEndPoint(host, int.Parse(port, CultureInfo.InvariantCulture));

    private sealed record Announcement(EndPoint Primary, long EpochBefore, long At);
}
