using RedisProxy.Api.Backend;
using RedisProxy.Api.Commands;

namespace RedisProxy.Api.Core;

/// <summary>
/// The backend's command table (COMMAND), loaded when a forwarded command first needs it and kept. While the backend
/// cannot be asked, each command that needs the table asks again and fails as the backend call did.
/// </summary>
internal sealed class BackendCommands(IRedisBackend backend)
{
    private readonly Lock _lock = new();
    private Task<CommandTable>? _loading;

    /// <summary>The table, once loaded; null before.</summary>
    public CommandTable? Loaded => _loading is { IsCompletedSuccessfully: true } loaded ? loaded.Result : null;

    public ValueTask<CommandTable> GetAsync(CancellationToken cancellationToken)
    {
        if (Loaded is { } table)
        {
            return ValueTask.FromResult(table);
        }

        Task<CommandTable> loading;
        lock (_lock)
        {
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled)
            {
                _loading = backend.LoadCommandsAsync(CancellationToken.None);
            }

            loading = _loading;
        }

        return new ValueTask<CommandTable>(loading.WaitAsync(cancellationToken));
    }
}
