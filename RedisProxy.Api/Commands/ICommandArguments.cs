namespace RedisProxy.Api.Commands;

/// <summary>A command's arguments as received, the name at index 0.</summary>
internal interface ICommandArguments
{
    int Count { get; }

    ReadOnlySpan<byte> this[int index] { get; }
}
