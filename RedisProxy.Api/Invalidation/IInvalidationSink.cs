namespace RedisProxy.Api.Invalidation;

/// <summary>Where an <see cref="InvalidationChannel"/> delivers what Redis reports.</summary>
internal interface IInvalidationSink
{
    void Invalidate(List<byte[]> keys);

    void InvalidateAll();
}
