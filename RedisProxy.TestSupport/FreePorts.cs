using System.Net;
using System.Net.Sockets;

namespace RedisProxy.TestSupport;

/// <summary>Loopback ports free now, all different (every probe stays bound until the last is chosen).</summary>
public static class FreePorts
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
