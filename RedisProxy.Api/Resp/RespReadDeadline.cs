using System.IO.Pipelines;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Decides when a RESP connection has waited too long for its client: nothing exchanged for RESP_IDLE_TIMEOUT_SECONDS
/// (Redis's <c>timeout</c>), or a command begun and still unfinished after RESP_FRAME_TIMEOUT_SECONDS however slowly
/// its bytes trickle in (the slow-loris guard, which Redis lacks). One timer per connection, re-armed before each
/// read, cancels the pending pipe read when the deadline passes: no thread waits on a quiet client.
/// </summary>
internal sealed class RespReadDeadline : IDisposable
{
    private const long NoFrame = -1;

    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _frameTimeout;
    private readonly ITimer? _timer;
    private long _lastActivity;
    private long _frameStarted = NoFrame;

    /// <param name="idleTimeout">Zero for no idle limit.</param>
    /// <param name="frameTimeout">Zero for no limit on how long one command may take to arrive.</param>
    public RespReadDeadline(TimeProvider time, TimeSpan idleTimeout, TimeSpan frameTimeout, PipeReader input)
    {
        _time = time;
        _idleTimeout = idleTimeout;
        _frameTimeout = frameTimeout;
        _lastActivity = time.GetTimestamp();
        if (idleTimeout > TimeSpan.Zero || frameTimeout > TimeSpan.Zero)
        {
            _timer = time.CreateTimer(static reader => ((PipeReader)reader!).CancelPendingRead(), input, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>True once a deadline has passed: the connection should close.</summary>
    public bool HasPassed => Remaining() <= TimeSpan.Zero;

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

        var remaining = Remaining();
        var due = remaining is null ? Timeout.InfiniteTimeSpan : remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining.Value;
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>Time left before the nearest deadline; null when none applies.</summary>
    private TimeSpan? Remaining()
    {
        var now = _time.GetTimestamp();
        TimeSpan? remaining = null;
        if (_idleTimeout > TimeSpan.Zero)
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
