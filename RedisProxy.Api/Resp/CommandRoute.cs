namespace RedisProxy.Api.Resp;

/// <summary>Which backend connection a forwarded command needs.</summary>
internal enum CommandRoute
{
    /// <summary>The shared connection of the client's protocol.</summary>
    Shared,

    /// <summary>A pinned connection held while it waits (a blocking command, WAIT), then returned.</summary>
    Blocking,

    /// <summary>A pinned connection held from the first subscription until the client leaves or resets.</summary>
    Subscribe,
}
