namespace RedisProxy.Api.Core;

/// <summary>
/// A read, and how long its value stays cached from now: what is left of a cached entry's lifetime, or the whole
/// cache expiry for a value just read from Redis. Zero when the key is absent (absent keys are not cached).
/// </summary>
internal readonly record struct TimedProxyRead(ProxyRead Read, TimeSpan TimeToLive);
