using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Commands;
using RedisProxy.Api.Failures;
using StackExchange.Redis;

namespace RedisProxy.Api.Tests.Core;

/// <summary>
/// An in-memory Redis behind <see cref="IRedisBackend"/>, with databases and times to live on a fake clock. Each
/// command takes effect when it is called, as a command reaches Redis when it is sent; its reply can be held back
/// (<see cref="HoldReplies"/>) to put reads and writes in flight at the same time. Records every command it was sent.
/// </summary>
internal sealed class FakeBackend(FakeTimeProvider time) : IRedisBackend
{
    private readonly ConcurrentDictionary<(int Database, string Key), (byte[] Value, DateTimeOffset? ExpiresAt)> _store = new();
    private readonly ConcurrentQueue<string> _commands = new();
    private TaskCompletionSource? _held;

    /// <summary>Every command sent, as "GET k", "MGET a b", "SET k", "DEL a b", "EXISTS a" (with "@n" for database n).</summary>
    public IReadOnlyCollection<string> Commands => _commands;

    public string? Version { get; set; }

    /// <summary>Makes the next calls fail with this, until set back to null.</summary>
    public ProxyFailureException? Failure { get; set; }

    /// <summary>Changes a key directly in Redis, behind the proxy's back.</summary>
    public void Store(string key, string? value, TimeSpan? timeToLive = null, int database = 0)
    {
        if (value is null)
        {
            _store.TryRemove((database, key), out _);
        }
        else
        {
            _store[(database, key)] = (Bytes(value), time.GetUtcNow() + timeToLive);
        }
    }

    public string? Stored(string key, int database = 0) => Live(database, key) is { } value ? Text(value) : null;

    /// <summary>Replies of commands sent from now on wait until <see cref="ReleaseReplies"/>.</summary>
    public void HoldReplies() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseReplies() => Interlocked.Exchange(ref _held, null)?.SetResult();

    public int Count(string commandPrefix) => _commands.Count(c => c.StartsWith(commandPrefix, StringComparison.Ordinal));

    public async Task<(Lease<byte> Value, TimeSpan TimeToLive)?> GetAsync(byte[] key, int database, CancellationToken cancellationToken)
    {
        var read = Execute($"GET {Text(key)}", database, () => (Value: Live(database, Text(key)), TimeToLive: TimeToLive(database, Text(key))));
        await ReplyAsync();
        if (read.Value is null)
        {
            return null;
        }

        var lease = Lease<byte>.Create(read.Value.Length, clear: false);
        read.Value.CopyTo(lease.Span);
        return (lease, read.TimeToLive);
    }

    public int BatchGroupOf(byte[] key) => 0;

    public async Task<TimedValue[]> GetManyAsync(RedisKey[] keys, int database, CancellationToken cancellationToken)
    {
        var values = Execute($"MGET {Join(keys)}", database, () => keys
            .Select(k => new TimedValue(Live(database, k!) is { } v ? (RedisValue)v : RedisValue.Null, TimeToLive(database, k!)))
            .ToArray());
        await ReplyAsync();
        return values;
    }

    public async Task<long> CountExistingAsync(RedisKey[] keys, int database, CancellationToken cancellationToken)
    {
        var count = Execute($"EXISTS {Join(keys)}", database, () => (long)keys.Count(k => Live(database, k!) is not null));
        await ReplyAsync();
        return count;
    }

    public async Task SetAsync(byte[] key, int database, ReadOnlyMemory<byte> value, TimeSpan timeToLive, RedisProtocol protocol, CancellationToken cancellationToken)
    {
        Execute($"SET {Text(key)}", database, () => _store[(database, Text(key))] =
            (value.ToArray(), timeToLive == Timeout.InfiniteTimeSpan ? null : time.GetUtcNow() + timeToLive));
        await ReplyAsync();
    }

    public async Task<long> DeleteAsync(RedisKey[] keys, int database, CancellationToken cancellationToken)
    {
        var removed = Execute($"DEL {Join(keys)}", database, () => (long)keys.Count(k => Live(database, k!) is not null && _store.TryRemove((database, k!), out _)));
        await ReplyAsync();
        return removed;
    }

    /// <summary>
    /// A forwarded command, of which the fake knows APPEND, FLUSHALL and SET (any other is an unknown command); a
    /// success is answered with +OK, a refusal with an error.
    /// </summary>
    public async Task<ForwardedReply> ForwardAsync(
        string command, ReadOnlyMemory<RedisKeyOrValue> arguments, int database, RedisProtocol protocol, CancellationToken cancellationToken)
    {
        var args = arguments.ToArray().Select(a => a.IsKey ? (string?)a.Key : (string?)a.Value).ToArray();
        var known = Execute($"{command.ToUpperInvariant()} {string.Join(' ', args)}".TrimEnd(), database, () =>
        {
            switch (command.ToUpperInvariant())
            {
                case "APPEND":
                    Store(args[0]!, (Stored(args[0]!, database) ?? "") + args[1], database: database);
                    return true;
                case "SET":
                    Store(args[0]!, args[1], database: database);
                    return true;
                case "FLUSHALL":
                    _store.Clear();
                    return true;
                default:
                    return false;
            }
        });
        await ReplyAsync();
        return known ? ForwardedReply.OfEncoded("+OK\r\n"u8.ToArray()) : ForwardedReply.OfError($"ERR unknown command '{command}'");
    }

    public Task<CommandTable> LoadCommandsAsync(CancellationToken cancellationToken) => Task.FromResult(new CommandTable([]));

    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    private byte[]? Live(int database, string key) =>
        _store.TryGetValue((database, key), out var stored) && !(stored.ExpiresAt <= time.GetUtcNow()) ? stored.Value : null;

    /// <summary>What PTTL answers, as <see cref="TimedValue.FromPttl"/> reads it.</summary>
    private TimeSpan TimeToLive(int database, string key) =>
        !_store.TryGetValue((database, key), out var stored) || stored.ExpiresAt <= time.GetUtcNow() ? TimeSpan.Zero
        : stored.ExpiresAt is { } at ? at - time.GetUtcNow()
        : Timeout.InfiniteTimeSpan;

    private T Execute<T>(string command, int database, Func<T> effect)
    {
        _commands.Enqueue(database == 0 ? command : $"{command} @{database}");
        if (Failure is { } failure)
        {
            throw failure;
        }

        return effect();
    }

    private Task ReplyAsync() => Volatile.Read(ref _held)?.Task ?? Task.CompletedTask;

    private static string Join(RedisKey[] keys) => string.Join(' ', keys.Select(k => (string?)k));
}
