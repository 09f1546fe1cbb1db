using System.Threading.RateLimiting;
using RedisProxy.Api.Backend;
using StackExchange.Redis;

namespace RedisProxy.Api.Core;

/// <summary>
/// Commands the cache does not answer, sent to Redis as the client sent them, their replies returned undecoded.
/// Whatever a command may have changed is dropped from the cache before its reply goes out, whether it succeeded,
/// failed or timed out (it may still reach Redis).
/// </summary>
internal sealed partial class CachingProxy
{
    /// <summary>Forwards the command once a backend slot is free.</summary>
    public async Task<ForwardedReply> ForwardAsync(ForwardedCommand command, int database, RedisProtocol protocol, CancellationToken cancellationToken) =>
        await ForwardThroughAsync(await _gate.EnterAsync(cancellationToken), command, database, protocol, cancellationToken);

    /// <summary>
    /// <see cref="ForwardAsync"/> when a backend slot is free now, else null; the command is sent before this returns,
    /// so commands started one after another reach Redis in that order.
    /// </summary>
    public Task<ForwardedReply>? TryStartForward(ForwardedCommand command, int database, RedisProtocol protocol, CancellationToken cancellationToken) =>
        _gate.TryEnter(out var lease) ? ForwardThroughAsync(lease, command, database, protocol, cancellationToken) : null;

    private async Task<ForwardedReply> ForwardThroughAsync(
        RateLimitLease slot, ForwardedCommand command, int database, RedisProtocol protocol, CancellationToken cancellationToken)
    {
        ForwardedReply? reply = null;
        try
        {
            using (slot)
            {
                reply = await _backend.ForwardAsync(command.Name, command.Arguments, database, protocol, cancellationToken);
            }

            return reply;
        }
        finally
        {
            Forget(command, refused: reply?.Error is not null);
        }
    }

    /// <summary>
    /// Drops what the command may have changed, once Redis has run it (or may have): a command Redis refused changed
    /// nothing it did not name. Commands sent over a pinned connection come here when their reply arrives.
    /// </summary>
    public void Forget(ForwardedCommand command, bool refused)
    {
        switch (command.Effect)
        {
            case CacheEffect.Keys:
                foreach (var key in command.WrittenKeys)
                {
                    Invalidate(key);
                }

                break;
            case CacheEffect.Everything when !refused:
                Clear();
                break;
        }
    }
}
