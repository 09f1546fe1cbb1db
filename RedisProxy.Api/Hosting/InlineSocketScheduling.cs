using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace RedisProxy.Api.Hosting;

/// <summary>
/// PROXY_INLINE_SCHEDULING (on by default): runs request code on the socket event threads instead of handing every
/// read to the thread pool, as Redis runs its commands on its event loop. On this project's 2-core machines that
/// removes most of the context switches per request (see docs/performance.md). It is process-wide, the backend
/// client's sockets included, so it rests on nothing blocking an event thread: hits are answered from memory,
/// backend calls are awaited, and <c>GET /cache</c> lists on a pool thread. <c>false</c> hands every request to the
/// pool again. Both switches below are needed: either alone changes nothing measurable. PROXY_IO_THREADS sets how
/// many event threads there are.
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
