using System.Globalization;

namespace RedisProxy.TestSupport;

/// <summary>
/// Which process answers on a port: a test's own server, or one another test started there after both probed the
/// port free.
/// </summary>
internal static class ServerIdentity
{
    /// <summary>The <c>process_id</c> of an <c>INFO server</c> reply; null when it has none.</summary>
    public static int? ProcessId(string infoServer) =>
        infoServer.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("process_id:", StringComparison.Ordinal)) is { } line
            ? int.Parse(line["process_id:".Length..], CultureInfo.InvariantCulture)
            : null;
}
