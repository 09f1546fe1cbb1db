using System.Text;
using RedisProxy.Api.Commands;
using StackExchange.Redis;

namespace RedisProxy.Api.Core;

/// <summary>
/// A client's command on its way to Redis: its arguments copied (the client's buffer is reused once the command is
/// answered, and the client library may send later than that, after a reconnect), its keys marked as keys so a Redis
/// Cluster routes it, and what it may change of the cache.
/// </summary>
internal sealed class ForwardedCommand
{
    private ForwardedCommand(string name, RedisKeyOrValue[] arguments, byte[][] writtenKeys, CacheEffect effect)
    {
        Name = name;
        Arguments = arguments;
        WrittenKeys = writtenKeys;
        Effect = effect;
    }

    /// <summary>The command's name, as the backend's table spells it (or as sent, for a command it does not know).</summary>
    public string Name { get; }

    /// <summary>Every argument after the name.</summary>
    public RedisKeyOrValue[] Arguments { get; }

    /// <summary>The keys it may write, which the core drops from the cache before its reply goes out.</summary>
    public byte[][] WrittenKeys { get; }

    public CacheEffect Effect { get; }

    /// <param name="command">What the backend says of the command; null when it does not know it.</param>
    public static ForwardedCommand From<TArgs>(TArgs args, CommandInfo? command)
        where TArgs : ICommandArguments
    {
        var keys = new List<KeyPosition>();
        var effect = command is null ? CacheEffect.Everything : EffectOf(command, args, keys);

        // One copy of every argument that is not a key; keys get arrays of their own, as RedisKey needs.
        var length = 0;
        for (var i = 1; i < args.Count; i++)
        {
            length += args[i].Length;
        }

        var values = GC.AllocateUninitializedArray<byte>(length);
        var arguments = new RedisKeyOrValue[args.Count - 1];
        var written = new List<byte[]>();
        var offset = 0;
        for (var i = 1; i < args.Count; i++)
        {
            var position = keys.FindIndex(k => k.Index == i);
            if (position >= 0)
            {
                var key = args[i].ToArray();
                arguments[i - 1] = (RedisKey)key;
                if (keys[position].Writes)
                {
                    written.Add(key);
                }

                continue;
            }

            args[i].CopyTo(values.AsSpan(offset));
            arguments[i - 1] = (RedisValue)values.AsMemory(offset, args[i].Length);
            offset += args[i].Length;
        }

        var name = command is null ? Encoding.UTF8.GetString(args[0]) : command.RootName;
        return new ForwardedCommand(name, arguments, [.. written], effect == CacheEffect.Keys && written.Count == 0 ? CacheEffect.None : effect);
    }

    private static CacheEffect EffectOf<TArgs>(CommandInfo command, TArgs args, List<KeyPosition> keys)
        where TArgs : ICommandArguments
    {
        var complete = CommandKeys.TryFind(command, args, keys);
        var mayWrite = command.Has(CommandTraits.Write) || command.KeySpecs.Any(spec => (spec.Flags & KeySpecFlags.Writes) != 0);
        if (!mayWrite)
        {
            return CacheEffect.None;
        }

        if (!complete)
        {
            return CacheEffect.Everything;
        }

        // A write that names no keys at all acts on the keyspace as a whole (FLUSHALL, FLUSHDB, SWAPDB).
        var namesKeys = command.KeySpecs.Count > 0 || command.LegacyKeys.First > 0;
        return namesKeys ? CacheEffect.Keys : CacheEffect.Everything;
    }
}
