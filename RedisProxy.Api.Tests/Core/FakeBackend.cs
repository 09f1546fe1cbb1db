using System.Collections.Concurrent;
using RedisProxy.Api.Backend;
using RedisProxy.Api.Caching;
using RedisProxy.Api.Failures;
using StackExchange.Redis;

namespace RedisProxy.Api.Tests.Core;

/// <summary>
/// An in-memory Redis behind <see cref="IRedisBackend"/>. Each command takes effect when it is called, as a command
/// reaches Redis when it is sent; its reply can be held back (<see cref="HoldReplies"/>) to put reads and writes in
/// flight at the same time. Records every command it was sent.
/// </summary>
internal sealed class FakeBackend : IRedisBackend
{
    private readonly ConcurrentDictionary<byte[], byte[]> _store = new(ByteArrayKeyComparer.Instance);
    private readonly ConcurrentQueue<string> _commands = new();
    private TaskCompletionSource? _held;

    /// <summary>Every command sent, as "GET k", "MGET a b", "SET k", "DEL a b", "EXISTS a".</summary>
    public IReadOnlyCollection<string> Commands => _commands;

    /// <summary>Makes the next calls fail with this, until set back to null.</summary>
    public ProxyFailureException? Failure { get; set; }

    /// <summary>Changes a key directly in Redis, behind the proxy's back.</summary>
    public void Store(string key, string? value)
    {
        if (value is null)
        {
            _store.TryRemove(Bytes(key), out _);
        }
        else
        {
            _store[Bytes(key)] = Bytes(value);
        }
    }

    public string? Stored(string key) => _store.TryGetValue(Bytes(key), out var value) ? Text(value) : null;

    /// <summary>Replies of commands sent from now on wait until <see cref="ReleaseReplies"/>.</summary>
    public void HoldReplies() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseReplies() => Interlocked.Exchange(ref _held, null)?.SetResult();

    public int Count(string commandPrefix) => _commands.Count(c => c.StartsWith(commandPrefix, StringComparison.Ordinal));

    public async Task<Lease<byte>?> GetAsync(byte[] key, CancellationToken cancellationToken)
    {
        var value = Execute($"GET {Text(key)}", () => _store.TryGetValue(key, out var v) ? v : null);
        await ReplyAsync();
        if (value is null)
        {
            return null;
        }

        var lease = Lease<byte>.Create(value.Length, clear: false);
        value.CopyTo(lease.Span);
        return lease;
    }

    public int BatchGroupOf(byte[] key) => 0;

    public async Task<RedisValue[]> GetManyAsync(RedisKey[] keys, CancellationToken cancellationToken)
    {
        var values = Execute($"MGET {Join(keys)}", () => keys.Select(k => _store.TryGetValue(k!, out var v) ? (RedisValue)v : RedisValue.Null).ToArray());
        await ReplyAsync();
        return values;
    }

    public async Task<long> CountExistingAsync(RedisKey[] keys, CancellationToken cancellationToken)
    {
        var count = Execute($"EXISTS {Join(keys)}", () => (long)keys.Count(k => _store.ContainsKey(k!)));
        await ReplyAsync();
        return count;
    }

    public async Task SetAsync(byte[] key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        Execute($"SET {Text(key)}", () => _store[key] = value.ToArray());
        await ReplyAsync();
    }

    public async Task<long> DeleteAsync(RedisKey[] keys, CancellationToken cancellationToken)
    {
        var removed = Execute($"DEL {Join(keys)}", () => (long)keys.Count(k => _store.TryRemove(k!, out _)));
        await ReplyAsync();
        return removed;
    }

    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    private T Execute<T>(string command, Func<T> effect)
    {
        _commands.Enqueue(command);
        if (Failure is { } failure)
        {
            throw failure;
        }

        return effect();
    }

    private Task ReplyAsync() => Volatile.Read(ref _held)?.Task ?? Task.CompletedTask;

    private static string Join(RedisKey[] keys) => string.Join(' ', keys.Select(k => (string?)k));
}
