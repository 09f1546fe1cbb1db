namespace Aspire.Hosting;

/// <summary>
/// Dashboard commands on the API resource for its cache routes, sent to the key port's <c>/cache</c> as any client
/// would; both flow the JSON reply back to the dashboard.
/// </summary>
internal static class CacheCommands
{
    public const string ClearCache = "clear-cache";
    public const string CacheStatus = "cache-status";

    public static IResourceBuilder<ProjectResource> WithCacheCommands(this IResourceBuilder<ProjectResource> api) => api
        .WithHttpCommand("/cache", "Clear cache", endpointName: ProxyEndpoints.Http, commandName: ClearCache, commandOptions: new()
        {
            Method = HttpMethod.Delete,
            Description = "Empties the proxy's local cache (DELETE /cache). Redis keeps every key.",
            ConfirmationMessage = "Empty the proxy's local cache? Redis keeps every key; the next reads go to Redis.",
            IconName = "Delete",
            ResultMode = HttpCommandResultMode.Json,
        })
        .WithHttpCommand("/cache", "Cache status", endpointName: ProxyEndpoints.Http, commandName: CacheStatus, commandOptions: new()
        {
            Method = HttpMethod.Get,
            Description = "Shows the cached keys (least recently used first), occupancy and capacity (GET /cache).",
            IconName = "Info",
            ResultMode = HttpCommandResultMode.Json,
        });
}
