namespace RedisProxy.Api.Core;

/// <summary>What a read or write takes before it is sent (<see cref="CoherentCache.Start"/>): the fence's version and the cache's clock.</summary>
internal readonly record struct BackendCallStart(long Version, long Timestamp);
