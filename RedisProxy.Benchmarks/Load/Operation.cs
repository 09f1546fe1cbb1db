namespace RedisProxy.Benchmarks.Load;

/// <summary>One request of a workload: a read or a write of the key with this index (0 is the hottest key).</summary>
internal readonly record struct Operation(int Key, bool Write);
