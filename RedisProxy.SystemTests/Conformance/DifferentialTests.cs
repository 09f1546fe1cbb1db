using System.Globalization;
using RedisProxy.SystemTests.Resp;

namespace RedisProxy.SystemTests.Conformance;

/// <summary>
/// Redis is the specification: seeded random command sequences go to a redis-server directly and through the proxy
/// (over a second redis-server), in pipelined batches, in RESP2 and RESP3; every reply must be the same bytes, and
/// afterwards the two keyspaces must hold the same, and the proxy must serve what its Redis holds. One fixed seed per
/// protocol runs in every <c>dotnet test</c>; DIFFERENTIAL_SEEDS=n runs n more.
/// </summary>
public sealed class DifferentialTests(DifferentialProxy proxy) : IClassFixture<DifferentialProxy>
{
    private const int CommandsPerSequence = 600;

    public static TheoryData<int, int> Sequences()
    {
        var data = new TheoryData<int, int> { { 1, 2 }, { 2, 3 } };
        var more = int.TryParse(Environment.GetEnvironmentVariable("DIFFERENTIAL_SEEDS"), CultureInfo.InvariantCulture, out var n) ? n : 0;
        for (var seed = 100; seed < 100 + more; seed++)
        {
            data.Add(seed, seed % 2 == 0 ? 2 : 3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task Every_reply_and_the_keyspace_are_what_redis_server_gives(int seed, int protocol)
    {
        await using var reference = await RawResp.OpenAsync(new Uri($"tcp://127.0.0.1:{proxy.Reference.Port}"));
        await using var proxied = await RawResp.OpenAsync(proxy.Api.RespEndpoint);
        foreach (var connection in new[] { reference, proxied })
        {
            await connection.CallAsync(RawResp.Frame("HELLO", protocol.ToString(CultureInfo.InvariantCulture)));
            await connection.CallAsync(RawResp.Frame("FLUSHALL"));
        }

        var generator = new CommandGenerator(seed);
        var random = new Random(seed);
        var history = new List<string>();
        for (var sent = 0; sent < CommandsPerSequence;)
        {
            var batch = Enumerable.Range(0, random.Next(1, 7)).Select(_ => generator.Next()).ToArray();
            history.Add(string.Join(" | ", batch.Select(command => string.Join(' ', command))));
            var frames = string.Concat(batch.Select(command => RawResp.Frame(command)));
            await reference.SendAsync(frames);
            await proxied.SendAsync(frames);
            var expected = await reference.ReadRepliesAsync(batch.Length);
            var actual = await proxied.ReadRepliesAsync(batch.Length);
            for (var i = 0; i < batch.Length; i++)
            {
                Assert.True(
                    Normalize(batch[i], expected[i]) == Normalize(batch[i], actual[i]),
                    $"seed {seed}, RESP{protocol}, command {sent + i}: {string.Join(' ', batch[i])}\nredis-server: {Show(expected[i])}\nproxy:        {Show(actual[i])}"
                    + $"\nthe batches before it, latest last:\n{string.Join('\n', history.TakeLast(25))}");
            }

            sent += batch.Length;
        }

        // A transaction left open ends the same way on both.
        Assert.Equal(await reference.CallAsync(RawResp.Frame("DISCARD")), await proxied.CallAsync(RawResp.Frame("DISCARD")));
        await AssertSameKeyspacesAsync(proxied, seed);
    }

    [Fact]
    public async Task Inline_commands_are_read_as_redis_server_reads_them()
    {
        string[] lines =
        [
            "SET \"inline key\" \"c\\x41\\n\\t\\q\\\\\\\"\"",
            "GET \"inline key\"",
            "SET 'it\\'s' 'a\\nb'",
            "GET \"it's\"",
            "ECHO \"\\x4g\"",
            "MGET \"inline key\" 'it\\'s'",
            "ECHO \"unbalanced\"quote",
        ];
        await using var reference = await RawResp.OpenAsync(new Uri($"tcp://127.0.0.1:{proxy.Reference.Port}"));
        await using var proxied = await RawResp.OpenAsync(proxy.Api.RespEndpoint);

        foreach (var line in lines)
        {
            Assert.Equal(await reference.CallAsync(line + "\r\n"), await proxied.CallAsync(line + "\r\n"));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Pub_sub_frames_are_what_redis_server_sends(int protocol)
    {
        var reference = await PubSubScriptAsync(new Uri($"tcp://127.0.0.1:{proxy.Reference.Port}"), protocol);
        var proxied = await PubSubScriptAsync(proxy.Api.RespEndpoint, protocol);

        Assert.Equal(reference, proxied);
    }

    /// <summary>A fixed pub/sub conversation against one server: every frame the subscriber gets, in order.</summary>
    private static async Task<List<string>> PubSubScriptAsync(Uri server, int protocol)
    {
        await using var subscriber = await RawResp.OpenAsync(server);
        await using var publisher = await RawResp.OpenAsync(server);
        await subscriber.CallAsync(RawResp.Frame("HELLO", protocol.ToString(CultureInfo.InvariantCulture)));
        var frames = new List<string>
        {
            await subscriber.CallAsync(RawResp.Frame("SUBSCRIBE", "news", "sport")),
            await subscriber.ReadReplyAsync(),
            await subscriber.CallAsync(RawResp.Frame("PSUBSCRIBE", "n*")),
            await subscriber.CallAsync(RawResp.Frame("PING", "hello")),
        };
        frames.Add(await publisher.CallAsync(RawResp.Frame("PUBLISH", "news", "one")));
        frames.AddRange(await subscriber.ReadRepliesAsync(2));
        frames.Add(await subscriber.CallAsync(RawResp.Frame("UNSUBSCRIBE", "sport")));
        frames.Add(await publisher.CallAsync(RawResp.Frame("PUBLISH", "sport", "two")));
        frames.Add(await subscriber.CallAsync(RawResp.Frame("PUNSUBSCRIBE")));
        frames.Add(await subscriber.CallAsync(RawResp.Frame("UNSUBSCRIBE")));
        frames.Add(await subscriber.CallAsync(RawResp.Frame("PING")));
        return frames;
    }

    /// <summary>The reference's and the backing server's keyspaces hold the same, and the proxy serves what its Redis holds.</summary>
    private async Task AssertSameKeyspacesAsync(RawResp proxied, int seed)
    {
        await using var reference = await RawResp.OpenAsync(new Uri($"tcp://127.0.0.1:{proxy.Reference.Port}"));
        await using var backing = await RawResp.OpenAsync(new Uri($"tcp://127.0.0.1:{proxy.Redis.Port}"));
        foreach (var database in new[] { "0", "1" })
        {
            await reference.CallAsync(RawResp.Frame("SELECT", database));
            await backing.CallAsync(RawResp.Frame("SELECT", database));
            await proxied.CallAsync(RawResp.Frame("SELECT", database));
            var keys = Elements(await backing.CallAsync(RawResp.Frame("KEYS", "*"))).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(Elements(await reference.CallAsync(RawResp.Frame("KEYS", "*"))).Order(StringComparer.Ordinal), keys);
            foreach (var key in keys)
            {
                var content = await DescribeAsync(backing, key);
                Assert.True(content == await DescribeAsync(reference, key), $"seed {seed}, db {database}, key {key}: {content}");
                if (content.StartsWith("string", StringComparison.Ordinal))
                {
                    Assert.Equal(await backing.CallAsync(RawResp.Frame("GET", key)), await proxied.CallAsync(RawResp.Frame("GET", key)));
                }
            }
        }
    }

    /// <summary>A key's type, whether it has a time to live, and its content in an order that does not depend on the server.</summary>
    private static async Task<string> DescribeAsync(RawResp redis, string key)
    {
        var type = (await redis.CallAsync(RawResp.Frame("TYPE", key))).Trim('+', '\r', '\n');
        string[] read = type switch
        {
            "string" => ["GET", key],
            "hash" => ["HGETALL", key],
            "list" => ["LRANGE", key, "0", "-1"],
            "set" => ["SMEMBERS", key],
            _ => ["ZRANGE", key, "0", "-1", "WITHSCORES"],
        };
        var content = Elements(await redis.CallAsync(RawResp.Frame(read)));
        var ttl = await redis.CallAsync(RawResp.Frame("TTL", key));
        return $"{type} ttl {(ttl == ":-1\r\n" ? "none" : "set")}: {string.Join(',', type is "set" or "hash" ? content.Order(StringComparer.Ordinal) : content)}";
    }

    /// <summary>What may differ between two servers that agree: a time to live's exact value, and the order of a set's members.</summary>
    private static string Normalize(string[] command, string reply) => command[0] switch
    {
        "TTL" when reply.StartsWith(':') && reply[1] != '-' => ":positive\r\n",
        "SMEMBERS" when reply[0] is '*' or '~' => reply[..reply.IndexOf('\n')] + string.Join(',', Elements(reply).Order(StringComparer.Ordinal)),
        _ => reply,
    };

    /// <summary>The lines of a reply that are values (not headers), in order.</summary>
    private static IEnumerable<string> Elements(string reply) =>
        reply.Split("\r\n").Skip(1).Where((_, i) => i % 2 == 1);

    private static string Show(string reply) => reply.Replace("\r\n", "\\r\\n", StringComparison.Ordinal);
}
