using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace RedisProxy.Api.Hosting;

/// <summary>
/// PROXY_INLINE_SCHEDULING: runs request code on the socket's own completion thread instead of handing every read to
/// the thread pool. On this project's 2-core machines that halves the context switches per request (see
/// docs/performance.md), but it is process-wide and anything slow then stalls every connection on that thread, so it
/// is off by default. Both switches are needed: either alone changes nothing measurable.
/// </summary>
internal static class InlineSocketScheduling
{
    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Enable(WebApplicationBuilder builder)
    {
        // Read once by the runtime when the first socket is used, which is after this point (the host is not built yet).
        Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.UnsafePreferInlineScheduling = true);
    }
}
