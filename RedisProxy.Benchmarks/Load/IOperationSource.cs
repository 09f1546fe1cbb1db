namespace RedisProxy.Benchmarks.Load;

/// <summary>What to send next. A stream is one sender (a connection, or the open-loop schedule), so no two threads share one.</summary>
internal interface IOperationSource
{
    /// <summary>The next operation for <paramref name="stream"/>; false when the source is used up.</summary>
    bool TryNext(int stream, out Operation operation);
}
