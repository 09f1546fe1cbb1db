using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using RedisProxy.Api.Commands;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Failures;
using RedisProxy.Api.Telemetry;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// <see cref="IRedisBackend"/> over StackExchange.Redis: every call runs through the resilience pipeline (a circuit
/// breaker) with its own timeout, and is measured and traced.
/// </summary>
internal sealed class RedisBackend(
    BackendConnections connections,
    ClusterSlots slots,
    [FromKeyedServices(RedisBackend.PipelineName)] ResiliencePipeline pipeline,
    ProxyMetrics metrics,
    IOptions<ProxyOptions> options,
    TimeProvider time) : IRedisBackend
{
    public const string PipelineName = "redis-backend";

    private static readonly BackendOperation GetCommand = new("get");
    private static readonly BackendOperation MGetCommand = new("mget");
    private static readonly BackendOperation SetCommand = new("set");
    private static readonly BackendOperation DelCommand = new("del");
    private static readonly BackendOperation ExistsCommand = new("exists");
    private static readonly BackendOperation CommandCommand = new("command");

    /// <summary>Redis's error codes for a state that passes by itself (Redis answers them while it cannot serve yet).</summary>
    private static readonly string[] TransientErrorPrefixes = ["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"];

    private readonly TimeSpan _timeout = options.Value.BackendTimeout;

    /// <summary>The metric tag and span name of each forwarded command, made once per command name.</summary>
    private readonly ConcurrentDictionary<string, BackendOperation> _forwarded = new(StringComparer.Ordinal);

    public async Task<(Lease<byte> Value, TimeSpan TimeToLive)?> GetAsync(byte[] key, int database, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(GetCommand, Database(database), static (db, key) => GetWithTimeToLiveAsync(db, key), key, cancellationToken);
        }
        catch (RedisServerException e) when (IsWrongType(e))
        {
            throw new WrongTypeException(await DescribeTypeAsync(key, database));
        }
    }

    public string? Version =>
        connections.Shared.GetServers().FirstOrDefault(server => server.IsConnected && !server.IsReplica && server.ServerType != ServerType.Sentinel)?.Version.ToString();

    public int BatchGroupOf(byte[] key) => slots.IsCluster ? slots.SlotOf(key) : 0;

    public async Task<TimedValue[]> GetManyAsync(RedisKey[] keys, int database, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(
                MGetCommand,
                Database(database),
                static (db, state) => BySlotAsync(state.keys, state.groups, GetManyWithTimeToLiveAsync, db),
                (keys, groups: slots.BySlot(keys)),
                cancellationToken);
        }
        catch (RedisServerException e) when (IsWrongType(e))
        {
            throw new WrongTypeException("value of another type");
        }
    }

    public Task<long> CountExistingAsync(RedisKey[] keys, int database, CancellationToken cancellationToken) =>
        RunAsync(ExistsCommand, Database(database), static (db, state) => SumBySlotAsync(state.keys, state.groups, db.KeyExistsAsync), (keys, groups: slots.BySlot(keys)), cancellationToken);

    public Task SetAsync(
        byte[] key, int database, ReadOnlyMemory<byte> value, TimeSpan timeToLive, RedisProtocol protocol, CancellationToken cancellationToken) =>
        RunAsync(
            SetCommand,
            Database(database, protocol),
            static (db, state) => db.StringSetAsync(
                state.key, state.value, state.timeToLive == Timeout.InfiniteTimeSpan ? (TimeSpan?)null : state.timeToLive, When.Always),
            (key, value, timeToLive),
            cancellationToken);

    public Task<long> DeleteAsync(RedisKey[] keys, int database, CancellationToken cancellationToken) =>
        RunAsync(DelCommand, Database(database), static (db, state) => SumBySlotAsync(state.keys, state.groups, db.KeyDeleteAsync), (keys, groups: slots.BySlot(keys)), cancellationToken);

    public Task<ForwardedReply> ForwardAsync(
        string command, ReadOnlyMemory<RedisKeyOrValue> arguments, int database, RedisProtocol protocol, CancellationToken cancellationToken)
    {
        if (slots.IsCluster && KeysOf(arguments) is { Length: > 1 } keys && slots.BySlot(keys) is { Count: > 1 } groups)
        {
            return SlotSplitting.CanSplit(command)
                ? RunAsync(
                    _forwarded.GetOrAdd(command, static name => new BackendOperation(name.ToLowerInvariant())),
                    Database(database, protocol),
                    static (db, state) => SlotSplitting.ForwardAsync(db, state.command, state.arguments, state.groups, state.protocol),
                    (command, arguments, groups, protocol),
                    cancellationToken)
                : Task.FromResult(ForwardedReply.OfError(SlotSplitting.CrossSlot));
        }

        var forwarding = ForwardToPrimaryAsync(command, arguments, database, protocol, cancellationToken);
        return connections.FollowsSentinels ? RetryingAfterReadOnlyAsync(forwarding, command, arguments, database, protocol, cancellationToken) : forwarding;
    }

    private Task<ForwardedReply> ForwardToPrimaryAsync(
        string command, ReadOnlyMemory<RedisKeyOrValue> arguments, int database, RedisProtocol protocol, CancellationToken cancellationToken) =>
        RunAsync(
            _forwarded.GetOrAdd(command, static name => new BackendOperation(name.ToLowerInvariant())),
            Database(database, protocol),
            static (db, state) => ExecuteAsync(db, state.command, state.arguments),
            (command, arguments),
            cancellationToken);

    /// <summary>
    /// READONLY means the command went to a primary the sentinels have demoted and did not run, so it is safe to send
    /// once more after asking the sentinels where the primary is now. Redis's own reply is passed on when the primary
    /// has not moved.
    /// </summary>
    private async Task<ForwardedReply> RetryingAfterReadOnlyAsync(
        Task<ForwardedReply> forwarding, string command, ReadOnlyMemory<RedisKeyOrValue> arguments, int database, RedisProtocol protocol, CancellationToken cancellationToken)
    {
        var reply = await forwarding;
        if (IsReadOnly(reply.Error) && await connections.RefreshPrimaryAsync())
        {
            reply.Dispose();
            return await ForwardToPrimaryAsync(command, arguments, database, protocol, cancellationToken);
        }

        return reply;
    }

    public async Task<CommandTable> LoadCommandsAsync(CancellationToken cancellationToken) =>
        CommandTable.Parse(await RunAsync(CommandCommand, Database(0), static (db, _) => db.ExecuteAsync("COMMAND"), 0, cancellationToken));

    /// <summary>The keys among a forwarded command's arguments, in order.</summary>
    private static RedisKey[] KeysOf(ReadOnlyMemory<RedisKeyOrValue> arguments)
    {
        var keys = new List<RedisKey>();
        foreach (var argument in arguments.Span)
        {
            if (argument.IsKey)
            {
                keys.Add(argument.Key);
            }
        }

        return [.. keys];
    }

    /// <summary>Runs <paramref name="read"/> once per slot group (all sent before any reply is awaited) and puts the results back in key order.</summary>
    private static async Task<TimedValue[]> BySlotAsync(
        RedisKey[] keys, List<int[]> groups, Func<IDatabase, RedisKey[], Task<TimedValue[]>> read, IDatabase db)
    {
        if (groups.Count == 1)
        {
            return await read(db, keys);
        }

        var parts = groups.Select(group => read(db, [.. group.Select(i => keys[i])])).ToArray();
        await Task.WhenAll(parts);
        var values = new TimedValue[keys.Length];
        for (var g = 0; g < groups.Count; g++)
        {
            for (var j = 0; j < groups[g].Length; j++)
            {
                values[groups[g][j]] = parts[g].Result[j];
            }
        }

        return values;
    }

    /// <summary>Runs a counting command once per slot group and adds the counts.</summary>
    private static async Task<long> SumBySlotAsync(RedisKey[] keys, List<int[]> groups, Func<RedisKey[], CommandFlags, Task<long>> count)
    {
        if (groups.Count == 1)
        {
            return await count(keys, CommandFlags.None);
        }

        var parts = groups.Select(group => count([.. group.Select(i => keys[i])], CommandFlags.None)).ToArray();
        return (await Task.WhenAll(parts)).Sum();
    }

    /// <summary>
    /// Sends the command as the client sent it and keeps the reply undecoded; an error reply is a reply too, not a
    /// failure. The send happens before the first await, so forwarded commands keep their order.
    /// </summary>
    private static async Task<ForwardedReply> ExecuteAsync(IDatabase db, string command, ReadOnlyMemory<RedisKeyOrValue> arguments)
    {
        try
        {
            return ForwardedReply.Of(await db.ExecuteRespAsync(command, arguments));
        }
        catch (RedisServerException e)
        {
            return ForwardedReply.OfError(e.Message);
        }
    }

    private IDatabase Database(int database, RedisProtocol protocol = RedisProtocol.Resp2) => connections.For(protocol).GetDatabase(database);

    /// <summary>
    /// GET and PTTL sent together, in that order: Redis runs the two one after the other (it serves a client's pipelined
    /// commands in turn), so the time to live is the one of the value read, or says the key expired just after.
    /// </summary>
    private static async Task<(Lease<byte> Value, TimeSpan TimeToLive)?> GetWithTimeToLiveAsync(IDatabase db, byte[] key)
    {
        var value = db.StringGetLeaseAsync(key);
        var timeToLive = db.ExecuteAsync("PTTL", (RedisKey)key);
        try
        {
            await Task.WhenAll(value, timeToLive);
        }
        catch
        {
            // Both are observed; a value leased before the other failed goes back to the pool.
            if (value.IsCompletedSuccessfully)
            {
                value.Result?.Dispose();
            }

            throw;
        }

        return value.Result is { } lease ? (lease, TimedValue.FromPttl((long)timeToLive.Result)) : null;
    }

    /// <summary>MGET and one PTTL per key, sent together (see <see cref="GetWithTimeToLiveAsync"/>).</summary>
    private static async Task<TimedValue[]> GetManyWithTimeToLiveAsync(IDatabase db, RedisKey[] keys)
    {
        var values = db.StringGetAsync(keys);
        var timesToLive = new Task<RedisResult>[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            timesToLive[i] = db.ExecuteAsync("PTTL", keys[i]);
        }

        await Task.WhenAll([values, .. timesToLive]);
        var timed = new TimedValue[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            timed[i] = new TimedValue(values.Result[i], TimedValue.FromPttl((long)timesToLive[i].Result));
        }

        return timed;
    }

    private async Task<TResult> RunAsync<TState, TResult>(
        BackendOperation operation, IDatabase database, Func<IDatabase, TState, Task<TResult>> command, TState state, CancellationToken cancellationToken)
    {
        using var activity = ProxyTelemetry.Source.StartActivity(operation.CommandName, ActivityKind.Client);
        if (activity is not null)
        {
            Describe(activity, operation, database);
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            if (!connections.IsServing(database.Multiplexer))
            {
                outcome = "failover";
                throw new BackendUnavailableException("the backend's primary is changing; retry");
            }

            // Up to the client library's enqueue this runs on the caller's thread (the circuit breaker awaits nothing
            // while closed), so commands started one after another are sent in that order: pipelined RESP writes rely
            // on it (CachingProxy.TryStartSet). A strategy that hops threads (a Polly timeout, hedging) would break that.
            var result = await pipeline.ExecuteAsync(
                static (s, token) =>
                    // StackExchange.Redis takes no token, so the wait is what is bounded: one timer per call, where a
                    // Polly timeout strategy would add a token source and a registration. Returned as is, not awaited
                    // in a lambda of its own: one async state machine less per backend call.
                    new ValueTask<TResult>(s.connections.UntilReplaced(s.command(s.db, s.state), s.db.Multiplexer).WaitAsync(s.timeout, s.time, token)),
                (command, db: database, state, timeout: _timeout, time, connections),
                cancellationToken);
            if (!connections.IsServing(database.Multiplexer))
            {
                // Answered by a primary the sentinels have replaced since the command was sent: a write it took may
                // never reach the new primary, so nothing it said is passed on.
                (result as IDisposable)?.Dispose();
                outcome = "failover";
                throw new BackendUnavailableException("the backend's primary changed while the command was in flight; retry");
            }

            outcome = "ok";
            return result;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && !connections.IsServing(database.Multiplexer))
        {
            outcome = "failover";
            throw new BackendUnavailableException("the backend's primary changed while the command was in flight; retry", e);
        }
        catch (TimeoutException e)
        {
            outcome = "timeout";
            throw new BackendTimeoutException("the backend did not answer in time", e);
        }
        catch (BrokenCircuitException e)
        {
            outcome = "circuit_open";
            throw new BackendUnavailableException("the backend is unavailable (recent requests failed; retrying shortly)", e);
        }
        catch (RedisConnectionException e)
        {
            outcome = "unreachable";
            throw new BackendUnavailableException("the backend is unreachable", e);
        }
        catch (RedisServerException e) when (IsReadOnly(e.Message) && connections.FollowsSentinels)
        {
            // Sent to a primary that has been demoted: the command did not run. Follow the sentinels, and let the
            // client retry against the new primary.
            outcome = "readonly";
            _ = connections.RefreshPrimaryAsync();
            throw new BackendUnavailableException("the backend's primary is changing (READONLY); retry", e);
        }
        catch (RedisServerException e) when (!IsWrongType(e))
        {
            // A server that is loading its data, busy with a script or without its primary answers again soon.
            outcome = "error";
            throw IsTransient(e)
                ? new BackendUnavailableException($"the backend is not serving yet: {e.Message}", e)
                : new BackendErrorException($"the backend refused the command: {e.Message}", e);
        }
        catch (RedisCommandException e)
        {
            outcome = "error";
            throw new BackendErrorException($"the backend client refused the command: {e.Message}", e);
        }
        finally
        {
            metrics.BackendCall(operation.Name, outcome, Stopwatch.GetElapsedTime(started));
            if (activity is not null && outcome != "ok")
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome);
                activity.SetTag("error.type", outcome);
            }
        }
    }

    /// <summary>
    /// The attributes of OpenTelemetry's database client conventions, by which the dashboard draws Redis as the other
    /// end of the call. Never keys, values or credentials.
    /// </summary>
    private void Describe(Activity activity, BackendOperation operation, IDatabase database)
    {
        var (host, port) = BackendEndPoints.Split(connections.Primary());
        activity.SetTag("db.system.name", "redis");
        activity.SetTag("db.operation.name", operation.CommandName);
        activity.SetTag("db.namespace", database.Database.ToString(CultureInfo.InvariantCulture));
        activity.SetTag("server.address", host);
        activity.SetTag("server.port", port);
    }

    private async Task<string> DescribeTypeAsync(byte[] key, int database)
    {
        try
        {
            var type = await connections.Shared.GetDatabase(database).KeyTypeAsync(key);
            return type.ToString().ToLowerInvariant();
        }
        catch (RedisException)
        {
            return "value of another type";
        }
    }

    private static bool IsWrongType(RedisServerException e) => e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal);

    /// <summary>A demoted primary's refusal of a write: the command did not run.</summary>
    private static bool IsReadOnly(string? error) => error?.StartsWith("READONLY", StringComparison.Ordinal) == true;

    private static bool IsTransient(RedisServerException e) =>
        TransientErrorPrefixes.Any(prefix => e.Message.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>A backend command's metric tag, and its name as Redis spells it (span name, <c>db.operation.name</c>), built once.</summary>
    private sealed record BackendOperation(string Name)
    {
        public string CommandName { get; } = Name.ToUpperInvariant();
    }
}
