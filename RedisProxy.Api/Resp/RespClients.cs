namespace RedisProxy.Api.Resp;

/// <summary>Server-wide facts about RESP connections, for CLIENT ID and INFO.</summary>
internal sealed class RespClients(TimeProvider time)
{
    private long _lastId;
    private long _connected;
    private long _totalConnections;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public long Connected => Interlocked.Read(ref _connected);

    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>Counts a new connection and gives it its id.</summary>
    public long Connect()
    {
        Interlocked.Increment(ref _connected);
        Interlocked.Increment(ref _totalConnections);
        return Interlocked.Increment(ref _lastId);
    }

    public void Disconnect() => Interlocked.Decrement(ref _connected);
}
