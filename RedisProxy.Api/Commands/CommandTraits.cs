namespace RedisProxy.Api.Commands;

/// <summary>What a Redis command is, from its flags (COMMAND's third field): what decides how the proxy treats it.</summary>
[Flags]
internal enum CommandTraits
{
    None = 0,

    /// <summary>May change the keyspace: the keys it writes are dropped from the cache.</summary>
    Write = 1 << 0,

    /// <summary>Never changes the keyspace.</summary>
    ReadOnly = 1 << 1,

    /// <summary>An administrative command (CONFIG SET, SHUTDOWN, DEBUG…): refused unless allowed.</summary>
    Admin = 1 << 2,

    /// <summary>A pub/sub command: it puts the connection in a mode of its own.</summary>
    PubSub = 1 << 3,

    /// <summary>May block its connection (BLPOP, XREAD BLOCK, WAIT…).</summary>
    Blocking = 1 << 4,

    /// <summary>Where its keys are depends on its arguments.</summary>
    MovableKeys = 1 << 5,
}
