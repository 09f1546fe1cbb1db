namespace RedisProxy.SystemTests.Infrastructure;

/// <summary>
/// A redis-server of its own and the API started standalone over it with the <see cref="Settings"/> a test class
/// needs: isolated from every other test, and quicker to start than the AppHost. A class fixture.
/// </summary>
public abstract class StandaloneProxy : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ApiProcess? _api;

    public RedisServerProcess Redis { get; } = new();

    public ApiProcess Api => _api ?? throw new InvalidOperationException("Not started.");

    /// <summary>Environment variables for the API, beyond the ports and the backend.</summary>
    protected abstract IReadOnlyDictionary<string, string> Settings { get; }

    public virtual async Task InitializeAsync()
    {
        await Redis.StartAsync();
        _api = ApiProcess.StartOver(Redis, Settings);
        await _api.WaitUntilServingAsync(StartTimeout);
    }

    public virtual async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}
