using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Resp;

namespace RedisProxy.Api.Tests.Resp;

/// <summary>
/// The RESP connection deadlines on a fake clock: a pending read is cancelled when the client has been idle too long
/// or a command has taken too long to arrive, and not before.
/// </summary>
public sealed class RespReadDeadlineTests
{
    private readonly FakeTimeProvider _time = new();
    // Inline, so a cancelled read has completed by the time the fake clock's Advance returns.
    private readonly Pipe _pipe = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));

    [Fact]
    public async Task A_command_that_keeps_trickling_is_cut_off_when_the_frame_timeout_passes()
    {
        using var deadline = new RespReadDeadline(_time, TimeSpan.Zero, TimeSpan.FromSeconds(5), _pipe.Reader);
        deadline.Received(completedCommands: false, partialFrameLeft: true);

        // A byte every second: each arrival is activity, but none completes the command.
        for (var second = 1; second < 5; second++)
        {
            var read = ArmAndRead(deadline);
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(read.IsCompleted, $"cancelled after {second} s");
            Assert.False(deadline.HasPassed);
            deadline.Received(completedCommands: false, partialFrameLeft: true);
            _pipe.Reader.CancelPendingRead();
            var result = await read;
            Assert.True(result.IsCanceled);
            _pipe.Reader.AdvanceTo(result.Buffer.End);
        }

        var last = ArmAndRead(deadline);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(last.IsCompleted);
        Assert.True((await last).IsCanceled);
        Assert.True(deadline.HasPassed);
    }

    [Fact]
    public void A_completed_command_restarts_the_frame_clock_for_the_next_one()
    {
        using var deadline = new RespReadDeadline(_time, TimeSpan.Zero, TimeSpan.FromSeconds(5), _pipe.Reader);
        deadline.Received(completedCommands: false, partialFrameLeft: true);
        _time.Advance(TimeSpan.FromSeconds(4));

        deadline.Received(completedCommands: true, partialFrameLeft: true);
        var read = ArmAndRead(deadline);
        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.False(read.IsCompleted);
        Assert.False(deadline.HasPassed);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(deadline.HasPassed);
    }

    [Fact]
    public async Task Without_a_partial_command_only_the_idle_timeout_applies()
    {
        using var deadline = new RespReadDeadline(_time, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), _pipe.Reader);
        deadline.Received(completedCommands: true, partialFrameLeft: false);

        var read = ArmAndRead(deadline);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(read.IsCompleted);
        Assert.False(deadline.HasPassed);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(read.IsCompleted);
        Assert.True((await read).IsCanceled);
        Assert.True(deadline.HasPassed);
    }

    [Fact]
    public void Activity_postpones_the_idle_timeout()
    {
        using var deadline = new RespReadDeadline(_time, TimeSpan.FromSeconds(10), TimeSpan.Zero, _pipe.Reader);
        _time.Advance(TimeSpan.FromSeconds(8));

        deadline.Received(completedCommands: true, partialFrameLeft: false);
        var read = ArmAndRead(deadline);
        _time.Advance(TimeSpan.FromSeconds(8));

        Assert.False(read.IsCompleted);
        Assert.False(deadline.HasPassed);
    }

    [Fact]
    public async Task A_timer_set_before_later_activity_fires_early_without_cancelling_then_cancels_at_the_new_deadline()
    {
        using var deadline = new RespReadDeadline(_time, TimeSpan.FromSeconds(10), TimeSpan.Zero, _pipe.Reader);
        deadline.Arm();
        _time.Advance(TimeSpan.FromSeconds(8));

        // The timer is still set for second 10; the idle deadline is now second 18.
        deadline.Received(completedCommands: true, partialFrameLeft: false);
        var read = ArmAndRead(deadline);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(read.IsCompleted);
        Assert.False(deadline.HasPassed);

        _time.Advance(TimeSpan.FromSeconds(7));
        Assert.False(read.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(read.IsCompleted);
        Assert.True((await read).IsCanceled);
        Assert.True(deadline.HasPassed);
    }

    [Fact]
    public async Task A_passed_deadline_waits_while_the_clients_bytes_lie_unread_then_cuts_off_once_they_are_read()
    {
        var unread = true;
        using var deadline = new RespReadDeadline(_time, TimeSpan.Zero, TimeSpan.FromSeconds(1), _pipe.Reader, () => unread);
        deadline.Received(completedCommands: false, partialFrameLeft: true);
        var read = ArmAndRead(deadline);

        // The proxy fell behind: the rest of the command sits in the socket when the frame deadline passes.
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(read.IsCompleted);
        Assert.False(deadline.HasPassed);

        // Once read, and still no whole command, the client is judged again at the next look.
        unread = false;
        _time.Advance(RespReadDeadline.UnreadBytesRecheck);
        Assert.True(read.IsCompleted);
        Assert.True((await read).IsCanceled);
        Assert.True(deadline.HasPassed);
    }

    [Fact]
    public void With_both_timeouts_off_a_connection_may_wait_for_ever()
    {
        using var deadline = new RespReadDeadline(_time, TimeSpan.Zero, TimeSpan.Zero, _pipe.Reader);
        deadline.Received(completedCommands: false, partialFrameLeft: true);

        var read = ArmAndRead(deadline);
        _time.Advance(TimeSpan.FromDays(30));

        Assert.False(read.IsCompleted);
        Assert.False(deadline.HasPassed);
    }

    private Task<ReadResult> ArmAndRead(RespReadDeadline deadline)
    {
        deadline.Arm();
        return _pipe.Reader.ReadAsync().AsTask();
    }
}
