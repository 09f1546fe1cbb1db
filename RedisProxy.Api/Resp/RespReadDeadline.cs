using System.IO.Pipelines;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Decides when a RESP connection has waited too long for its client: nothing exchanged for RESP_IDLE_TIMEOUT_SECONDS
/// (Redis's <c>timeout</c>), or a command begun and still unfinished after RESP_FRAME_TIMEOUT_SECONDS however slowly
/// its bytes trickle in (the slow-loris guard, which Redis lacks). One timer per connection, re-armed before each
/// read, cancels the pending pipe read when the deadline passes: no thread waits on a quiet client.
/// Re-arming is lazy: activity only moves the idle deadline later, so a timer already due sooner is left alone
/// (changing a timer takes a lock shared by many timers, once per read); when it fires early it checks the real
/// deadline and sets itself again instead of cancelling.
/// A deadline also does not count while the client's bytes wait unread in the socket: then the proxy is behind (a
/// busy or starved machine), not the client, and the timer looks again shortly instead of closing the connection.
/// </summary>
internal sealed class RespReadDeadline : IDisposable
{
    private const long NoFrame = -1;

    /// <summary>How soon a passed deadline is looked at again while the client's bytes wait unread.</summary>
    internal static readonly TimeSpan UnreadBytesRecheck = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _frameTimeout;
    private readonly ITimer? _timer;
    private readonly PipeReader _input;
    private readonly Func<bool> _unreadBytesWaiting;
    private readonly Lock _arming = new();
    // When the timer fires (a timestamp of _time), long.MaxValue when it is not set; guarded by _arming.
    private long _timerDue = long.MaxValue;
    private long _lastActivity;
    private long _frameStarted = NoFrame;
    private bool _idleExempt;

    /// <param name="idleTimeout">Zero for no idle limit.</param>
    /// <param name="frameTimeout">Zero for no limit on how long one command may take to arrive.</param>
    /// <param name="unreadBytesWaiting">Whether the client's bytes are waiting unread (in the socket); none when null.</param>
    public RespReadDeadline(TimeProvider time, TimeSpan idleTimeout, TimeSpan frameTimeout, PipeReader input, Func<bool>? unreadBytesWaiting = null)
    {
        _time = time;
        _idleTimeout = idleTimeout;
        _frameTimeout = frameTimeout;
        _input = input;
        _unreadBytesWaiting = unreadBytesWaiting ?? (static () => false);
        _lastActivity = time.GetTimestamp();
        if (idleTimeout > TimeSpan.Zero || frameTimeout > TimeSpan.Zero)
        {
            _timer = time.CreateTimer(static deadline => ((RespReadDeadline)deadline!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Whether the idle limit is lifted: a subscriber waits for messages, not for its client, and Redis does not time
    /// out pub/sub clients either.
    /// </summary>
    public bool IdleExempt
    {
        get => Volatile.Read(ref _idleExempt);
        set => Volatile.Write(ref _idleExempt, value);
    }

    /// <summary>True once a deadline has passed and nothing the client sent is waiting unread: the connection should close.</summary>
    public bool HasPassed => Remaining() <= TimeSpan.Zero && !_unreadBytesWaiting();

    /// <summary>
    /// Records that bytes arrived and were handled: whether they completed any command, and whether part of a command
    /// is left waiting for more. A partial command keeps the time it began until a command completes.
    /// </summary>
    public void Received(bool completedCommands, bool partialFrameLeft)
    {
        var now = _time.GetTimestamp();
        _lastActivity = now;
        if (!partialFrameLeft)
        {
            _frameStarted = NoFrame;
        }
        else if (completedCommands || _frameStarted == NoFrame)
        {
            _frameStarted = now;
        }
    }

    /// <summary>Sets the timer to the nearest deadline; called before each read.</summary>
    public void Arm()
    {
        if (_timer is null)
        {
            return;
        }

        lock (_arming)
        {
            var now = _time.GetTimestamp();
            var remaining = Remaining(now);
            if (remaining is null)
            {
                // Nothing to wait for; a timer still set finds no deadline when it fires and does nothing.
                return;
            }

            SetTimer(now, remaining.Value);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void OnTimer()
    {
        lock (_arming)
        {
            _timerDue = long.MaxValue;
            var now = _time.GetTimestamp();
            var remaining = Remaining(now);
            if (remaining is null)
            {
                return;
            }

            if (remaining > TimeSpan.Zero)
            {
                // Fired early: activity moved the deadline since the timer was set.
                SetTimer(now, remaining.Value);
                return;
            }

            if (_unreadBytesWaiting())
            {
                // The client did send; the proxy has not read it yet. Judged again once it has had the chance.
                SetTimer(now, UnreadBytesRecheck);
                return;
            }
        }

        _input.CancelPendingRead();
    }

    /// <summary>Sets the timer to fire <paramref name="remaining"/> from <paramref name="now"/>, unless it fires sooner already.</summary>
    private void SetTimer(long now, TimeSpan remaining)
    {
        if (remaining < TimeSpan.Zero)
        {
            remaining = TimeSpan.Zero;
        }

        var due = now + (long)(remaining.TotalSeconds * _time.TimestampFrequency);
        if (due >= _timerDue)
        {
            return;
        }

        _timerDue = due;
        _timer!.Change(remaining, Timeout.InfiniteTimeSpan);
    }

    private TimeSpan? Remaining() => Remaining(_time.GetTimestamp());

    /// <summary>Time left before the nearest deadline; null when none applies.</summary>
    private TimeSpan? Remaining(long now)
    {
        TimeSpan? remaining = null;
        if (_idleTimeout > TimeSpan.Zero && !IdleExempt)
        {
            remaining = _idleTimeout - _time.GetElapsedTime(_lastActivity, now);
        }

        if (_frameTimeout > TimeSpan.Zero && _frameStarted != NoFrame)
        {
            var frameLeft = _frameTimeout - _time.GetElapsedTime(_frameStarted, now);
            remaining = remaining < frameLeft ? remaining : frameLeft;
        }

        return remaining;
    }
}
