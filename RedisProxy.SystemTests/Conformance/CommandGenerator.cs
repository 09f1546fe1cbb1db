using System.Globalization;

namespace RedisProxy.SystemTests.Conformance;

/// <summary>
/// Random commands over a few keys, from a seed: strings and counters, expiry, hashes, lists, sets, sorted sets, key
/// commands, scripts, SELECT, transactions (MULTI, EXEC, DISCARD, WATCH, UNWATCH, in any order, errors included) and
/// blocking pops that time out, with cached GETs and MGETs among them, so reads of a key follow its writes of every
/// family. Keys are few, so commands meet each other's keys, and each other's types (WRONGTYPE included).
/// </summary>
public sealed class CommandGenerator(int seed)
{
    private static readonly string[] Keys = ["k0", "k1", "k2", "k3", "k4", "k5", "n0", "n1"];

    private readonly Random _random = new(seed);

    public string[] Next()
    {
        var k = Key();
        return _random.Next(72) switch
        {
            < 12 => ["GET", k],
            12 => ["MGET", k, Key(), Key()],
            13 => ["SET", k, Value()],
            14 => ["SET", k, Value(), "EX", "1000"],
            15 => ["SET", k, Value(), "PX", "900000"],
            16 => ["SET", k, Value(), Pick("NX", "XX", "GET", "KEEPTTL")],
            17 => ["SETNX", k, Value()],
            18 => ["GETSET", k, Value()],
            19 => ["GETDEL", k],
            20 => _random.Next(2) == 0 ? ["GETEX", k, "PERSIST"] : ["GETEX", k, "EX", "1000"],
            21 => ["MSET", k, Value(), Key(), Value()],
            22 => ["MSETNX", k, Value(), Key(), Value()],
            23 => ["APPEND", k, Value()],
            24 => ["SETRANGE", k, Number(0, 6), Value()],
            25 => ["GETRANGE", k, "0", Number(-3, 4)],
            26 => ["STRLEN", k],
            27 => ["INCR", k],
            28 => ["DECRBY", k, Number(-50, 50)],
            29 => ["INCRBYFLOAT", k, Pick("1.5", "-0.25", "3e2", "abc")],
            30 => ["EXISTS", k, Key()],
            31 => [Pick("DEL", "UNLINK"), k, Key()],
            32 => ["EXPIRE", k, "1000"],
            33 => ["PEXPIRE", k, "900000"],
            34 => ["PERSIST", k],
            35 => ["TTL", k],
            36 => ["HSET", k, Field(), Value(), Field(), Value()],
            37 => ["HGET", k, Field()],
            38 => ["HDEL", k, Field()],
            39 => ["HGETALL", k],
            40 => ["HINCRBY", k, Field(), Number(-5, 5)],
            41 => ["HMGET", k, Field(), Field()],
            42 => [Pick("LPUSH", "RPUSH"), k, Value(), Value()],
            43 => [Pick("LPOP", "RPOP"), k],
            44 => ["LRANGE", k, "0", "-1"],
            45 => ["LSET", k, Number(-2, 2), Value()],
            46 => ["LMOVE", k, Key(), Pick("LEFT", "RIGHT"), Pick("LEFT", "RIGHT")],
            47 => ["SADD", k, Member(), Member()],
            48 => ["SREM", k, Member()],
            49 => ["SMEMBERS", k],
            50 => ["SISMEMBER", k, Member()],
            51 => ["ZADD", k, Number(-3, 9), Member()],
            52 => ["ZINCRBY", k, Pick("1", "2.5", "-1"), Member()],
            53 => ["ZRANGE", k, "0", "-1", "WITHSCORES"],
            54 => ["ZSCORE", k, Member()],
            55 => ["TYPE", k],
            56 => ["RENAME", k, Key()],
            57 => ["COPY", k, Key(), "REPLACE"],
            58 => ["EVAL", "return redis.call('SET', KEYS[1], ARGV[1])", "1", k, Value()],
            59 => ["EVAL", "return redis.call('GET', KEYS[1])", "1", k],
            60 => ["SELECT", Pick("0", "0", "1")],
            61 => ["SMOVE", k, Key(), Member()],
            62 => ["LLEN", k],
            63 => ["MULTI"],
            64 or 65 => ["EXEC"],
            66 => ["DISCARD"],
            67 => ["WATCH", k, Key()],
            68 => ["UNWATCH"],
            69 => [Pick("BLPOP", "BRPOP"), k, Key(), "0.01"],
            70 => ["BLMOVE", k, Key(), Pick("LEFT", "RIGHT"), Pick("LEFT", "RIGHT"), "0.01"],
            _ => ["HLEN", k],
        };
    }

    private string Key() => Keys[_random.Next(Keys.Length)];

    private string Field() => Pick("f", "g", "h");

    private string Member() => Pick("a", "b", "c", "1", "2");

    private string Value() => _random.Next(4) switch
    {
        0 => Number(-100, 100),
        1 => "",
        2 => Pick("x", "hello", "äö", "with space", "line\nbreak"),
        _ => new string((char)('a' + _random.Next(26)), _random.Next(1, 12)),
    };

    private string Number(int from, int to) => _random.Next(from, to).ToString(CultureInfo.InvariantCulture);

    private string Pick(params string[] choices) => choices[_random.Next(choices.Length)];
}
