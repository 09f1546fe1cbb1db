using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace RedisProxy.Api.Hosting;

/// <summary>
/// PROXY_INLINE_SCHEDULING (off by default): runs request code on the socket event threads instead of handing every
/// read to the thread pool, as Redis runs its commands on its event loop. On this project's 2-core machines that
/// removes most of the context switches per request and meets most throughput targets (see docs/performance.md).
/// It stays opt-in because it is process-wide, the backend client's sockets included: a blocking call anywhere would
/// stall every connection on its thread. Nothing of ours blocks on a request path (hits are answered from memory,
/// backend calls are awaited, <c>GET /cache</c> lists on a pool thread). Both switches below are needed: either
/// alone changes nothing measurable. PROXY_IO_THREADS sets how many event threads there are.
/// </summary>
internal static class InlineSocketScheduling
{
    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    private const string EventThreadsVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    public static void Enable(WebApplicationBuilder builder, int eventThreads)
    {
        // Read once by the runtime when the first socket is used, which is after this point (the host is not built yet).
        Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        Environment.SetEnvironmentVariable(EventThreadsVariable, eventThreads.ToString(CultureInfo.InvariantCulture));
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.UnsafePreferInlineScheduling = true);
    }
}
