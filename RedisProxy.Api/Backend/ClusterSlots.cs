using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Whether the backend is a Redis Cluster, and how keys fall into its hash slots: there, one command may only name keys
/// of one slot, so the proxy splits multi-key commands by slot.
/// </summary>
internal sealed class ClusterSlots
{
    private readonly IConnectionMultiplexer _redis;

    /// <summary>-1 until a connected server has said what it is; then 1 for a cluster, 0 for anything else.</summary>
    private int _isCluster = -1;

    public ClusterSlots(IConnectionMultiplexer redis)
    {
        _redis = redis;
        redis.ConfigurationChanged += (_, _) => Volatile.Write(ref _isCluster, -1);
    }

    public bool IsCluster
    {
        get
        {
            var known = Volatile.Read(ref _isCluster);
            if (known >= 0)
            {
                return known == 1;
            }

            var servers = _redis.GetServers();
            if (!servers.Any(server => server.IsConnected))
            {
                return false;
            }

            known = servers.Any(server => server.ServerType == ServerType.Cluster) ? 1 : 0;
            Volatile.Write(ref _isCluster, known);
            return known == 1;
        }
    }

    public int SlotOf(RedisKey key) => _redis.HashSlot(key);

    /// <summary>The primaries that serve slots, as a node's CLUSTER NODES describes them: a failed-over primary serves none.</summary>
    public static IEnumerable<ClusterNode> PrimariesServingSlots(ClusterConfiguration nodes) =>
        nodes.Nodes.Where(node => !node.IsReplica && node.Slots.Count > 0);

    /// <summary>The positions of <paramref name="keys"/> grouped by slot, in the order the slots first appear; one group off a cluster.</summary>
    public List<int[]> BySlot(IReadOnlyList<RedisKey> keys)
    {
        if (!IsCluster)
        {
            return [[.. Enumerable.Range(0, keys.Count)]];
        }

        var groups = new List<(int Slot, List<int> Positions)>();
        for (var i = 0; i < keys.Count; i++)
        {
            var slot = SlotOf(keys[i]);
            var group = groups.FindIndex(g => g.Slot == slot);
            if (group < 0)
            {
                groups.Add((slot, [i]));
            }
            else
            {
                groups[group].Positions.Add(i);
            }
        }

        return [.. groups.Select(g => g.Positions.ToArray())];
    }
}
