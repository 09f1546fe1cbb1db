namespace RedisProxy.Api.Core;

/// <summary>
/// Remembers the keys (by hash) of the latest changes that went through the proxy, so a read or a write that was in
/// flight can tell whether its own key changed since it started: its value may then be older than what Redis holds,
/// and must not be cached. A clear, or more changes than are remembered, counts as a change of every key; so does a
/// change of another key with the same hash. Not thread-safe: <see cref="CoherentCache"/> guards it.
/// </summary>
internal sealed class KeyFence
{
    /// <summary>How many of the latest changes are remembered.</summary>
    public const int RememberedChanges = 64;

    /// <summary>The key hash of change n at n % <see cref="RememberedChanges"/>.</summary>
    private readonly int[] _changedKeys = new int[RememberedChanges];
    private long _version;
    private long _clearedAtVersion;

    /// <summary>The number of changes so far: what a read or write takes before it starts.</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Counts a change of the key with that hash.</summary>
    public void Record(int hash)
    {
        var version = _version + 1;
        _changedKeys[version % RememberedChanges] = hash;
        Volatile.Write(ref _version, version);
    }

    /// <summary>Counts a change of every key (the cache was emptied).</summary>
    public void RecordClear()
    {
        Record(0);
        _clearedAtVersion = _version;
    }

    /// <summary>Whether a change of the key with that hash may have gone through since <paramref name="version"/>.</summary>
    public bool ChangedSince(long version, int hash)
    {
        if (_version == version)
        {
            return false;
        }

        if (_clearedAtVersion > version || _version - version > RememberedChanges)
        {
            return true;
        }

        for (var change = version + 1; change <= _version; change++)
        {
            if (_changedKeys[change % RememberedChanges] == hash)
            {
                return true;
            }
        }

        return false;
    }
}
