namespace RedisProxy.Api.Failures;

/// <summary>A request the proxy could not complete; each front door turns it into its own error reply.</summary>
public abstract class ProxyFailureException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The backend cannot be reached, or the circuit to it is open after repeated failures.</summary>
public sealed class BackendUnavailableException(string message, Exception? inner = null) : ProxyFailureException(message, inner);

/// <summary>The backend did not answer within the configured timeout.</summary>
public sealed class BackendTimeoutException(string message, Exception? inner = null) : ProxyFailureException(message, inner);

/// <summary>
/// The backend answered the command with an error of its own (a missing ACL permission, out of memory, a read-only
/// replica…), or the client library refused to send it; the message carries the backend's words.
/// </summary>
public sealed class BackendErrorException(string message, Exception? inner = null) : ProxyFailureException(message, inner);

/// <summary>Every backend slot is busy and the wait queue is full, or the wait for a slot timed out.</summary>
public sealed class ProxyOverloadedException(string message) : ProxyFailureException(message);

/// <summary>The key holds a Redis type other than a string (a list, a hash…), which the proxy does not serve.</summary>
public sealed class WrongTypeException(string redisType)
    : ProxyFailureException($"the key holds a Redis {redisType}, not a string; the proxy serves string values only")
{
    public string RedisType { get; } = redisType;
}
