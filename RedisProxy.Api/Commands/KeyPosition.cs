namespace RedisProxy.Api.Commands;

/// <summary>A key among a command's arguments: its index, and whether the command may change it.</summary>
internal readonly record struct KeyPosition(int Index, bool Writes);
