using System.Globalization;
using StackExchange.Redis;

namespace RedisProxy.SystemTests.Infrastructure;

/// <summary>How many times the backing server has run each command, from <c>INFO commandstats</c>.</summary>
public static class BackendCommandStats
{
    public static async Task<long> CallsAsync(IServer server, string command)
    {
        var info = await server.InfoAsync("commandstats");
        var stat = info.SelectMany(group => group).FirstOrDefault(pair => pair.Key == $"cmdstat_{command}");
        if (stat.Value is null)
        {
            return 0;
        }

        // calls=N,usec=...,usec_per_call=...
        var calls = stat.Value.Split(',')[0].Split('=')[1];
        return long.Parse(calls, CultureInfo.InvariantCulture);
    }
}
