namespace RedisProxy.Api.Core;

/// <summary>Where an answer came from: the proxy's own cache or the backing Redis.</summary>
public enum ReadSource
{
    Local,
    Redis,
}
