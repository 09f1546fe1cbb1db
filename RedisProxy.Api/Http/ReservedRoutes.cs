using RedisProxy.Api.Core;

namespace RedisProxy.Api.Http;

/// <summary>The seed's routes besides keys: <c>GET /ping</c>, <c>GET /cache</c> and <c>DELETE /cache</c>.</summary>
internal static class ReservedRoutes
{
    public static Task PingAsync(HttpContext context) =>
        JsonReply.SendAsync(context, StatusCodes.Status200OK, 0, static (json, _) => json.WriteString(JsonFieldNames.Ping, "OK"u8));

    public static async Task DescribeCacheAsync(HttpContext context, CachingProxy proxy)
    {
        // The listing grows with the cache: built on a pool thread, not the socket thread other connections share.
        await Task.Yield();
        await JsonReply.SendAsync(context, StatusCodes.Status200OK, proxy.Describe(), static (json, snapshot) =>
        {
            json.WriteStartArray(JsonFieldNames.Keys);
            foreach (var key in snapshot.KeysLeastRecentFirst)
            {
                JsonValueWriter.WriteKeyText(json, key);
            }

            json.WriteEndArray();
            json.WriteNumber(JsonFieldNames.Occupancy, snapshot.Occupancy);
            json.WriteNumber(JsonFieldNames.Capacity, snapshot.Capacity);
        });
    }

    public static Task ClearCacheAsync(HttpContext context, CachingProxy proxy)
    {
        proxy.Clear();
        return JsonReply.SendAsync(context, StatusCodes.Status200OK, 0, static (json, _) => json.WriteBoolean(JsonFieldNames.CacheCleared, true));
    }
}
