using RedisProxy.Api.Commands;
using StackExchange.Redis;

namespace RedisProxy.Api.Tests.Commands;

/// <summary>The command table of a real redis-server, read once for the tests of a class.</summary>
public sealed class RedisCommandsFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly RedisServerProcess _redis = new();

    internal CommandTable Table { get; private set; } = new([]);

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        Table = CommandTable.Parse(await connection.GetDatabase().ExecuteAsync("COMMAND"));
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
