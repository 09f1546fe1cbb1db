namespace RedisProxy.Api.Resp.Parser;

/// <summary>
/// The arguments of one command as slices of a contiguous frame: the parser records where each one starts and how
/// long it is, and the session binds the frame's memory, so no argument is copied. One instance per connection,
/// reused for every command.
/// </summary>
internal sealed class RespArguments : Commands.ICommandArguments
{
    private (int Start, int Length)[] _slices = new (int, int)[8];

    public int Count { get; private set; }

    /// <summary>The frame the offsets point into.</summary>
    public ReadOnlyMemory<byte> Frame { get; private set; }

    public ReadOnlySpan<byte> this[int index] => Memory(index).Span;

    public ReadOnlyMemory<byte> Memory(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        var (start, length) = _slices[index];
        return Frame.Slice(start, length);
    }

    /// <summary>Where argument <paramref name="index"/> lies in the frame (for tests and bounds checks).</summary>
    public (int Start, int Length) SliceOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _slices[index];
    }

    public void Bind(ReadOnlyMemory<byte> frame) => Frame = frame;

    internal void Clear()
    {
        Count = 0;
        Frame = default;
    }

    internal void Add(int start, int length)
    {
        // Grown as arguments actually arrive, never from the count a client declares.
        if (Count == _slices.Length)
        {
            Array.Resize(ref _slices, _slices.Length * 2);
        }

        _slices[Count++] = (start, length);
    }
}
