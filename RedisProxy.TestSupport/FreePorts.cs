using System.Net;
using System.Net.Sockets;

namespace RedisProxy.TestSupport;

/// <summary>
/// Loopback ports free now, all different (every probe stays bound until the last is chosen). Internal: the AppHost
/// compiles this file too, for its local cluster and Sentinel nodes.
/// </summary>
internal static class FreePorts
{
    public static int[] Take(int count)
    {
        var probes = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var probe in probes)
            {
                probe.Start();
            }

            return [.. probes.Select(probe => ((IPEndPoint)probe.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe.Dispose();
            }
        }
    }
}
