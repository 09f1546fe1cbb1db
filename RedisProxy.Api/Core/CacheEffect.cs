namespace RedisProxy.Api.Core;

/// <summary>What a forwarded command may change of what the cache holds, so the core knows what to drop.</summary>
internal enum CacheEffect
{
    /// <summary>Nothing: a read, or a command that touches no key.</summary>
    None,

    /// <summary>The keys it names as written (<see cref="ForwardedCommand.WrittenKeys"/>).</summary>
    Keys,

    /// <summary>Keys it does not name, or all of them (FLUSHALL, SWAPDB, a script with keys it cannot tell): the cache is emptied unless Redis refused the command.</summary>
    Everything,
}
