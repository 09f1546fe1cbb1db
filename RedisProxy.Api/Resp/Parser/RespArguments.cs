namespace RedisProxy.Api.Resp.Parser;

/// <summary>
/// The arguments of one command as slices of a contiguous frame: the parser records where each one starts and how
/// long it is, and the session binds the frame's memory, so no argument is copied. One instance per connection,
/// reused for every command.
/// </summary>
internal sealed class RespArguments : Commands.ICommandArguments
{
    private (int Start, int Length)[] _slices = new (int, int)[8];

    /// <summary>The inline arguments whose escapes <see cref="Bind"/> decodes, with their quote.</summary>
    private readonly List<(int Index, byte Quote)> _escaped = [];

    /// <summary>A copy of an inline frame with escapes, decoded in place (a decoded argument is never longer than its text).</summary>
    private byte[] _decoded = [];

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

    /// <summary>Points the arguments into <paramref name="frame"/>; one valid until the next frame is bound.</summary>
    public void Bind(ReadOnlyMemory<byte> frame)
    {
        if (_escaped.Count == 0)
        {
            Frame = frame;
            return;
        }

        if (_decoded.Length < frame.Length)
        {
            _decoded = new byte[frame.Length];
        }

        frame.CopyTo(_decoded);
        foreach (var (index, quote) in _escaped)
        {
            var (start, length) = _slices[index];
            _slices[index] = (start, RespParser.DecodeQuoted(_decoded.AsSpan(start, length), quote));
        }

        Frame = _decoded.AsMemory(0, frame.Length);
    }

    internal void Clear()
    {
        Count = 0;
        Frame = default;
        _escaped.Clear();
    }

    /// <summary>Adds the argument at <paramref name="start"/>; <paramref name="escapedIn"/> is the quote of an inline one with escapes to decode, else 0.</summary>
    internal void Add(int start, int length, byte escapedIn = 0)
    {
        // Grown as arguments actually arrive, never from the count a client declares.
        if (Count == _slices.Length)
        {
            Array.Resize(ref _slices, _slices.Length * 2);
        }

        if (escapedIn != 0)
        {
            _escaped.Add((Count, escapedIn));
        }

        _slices[Count++] = (start, length);
    }
}
