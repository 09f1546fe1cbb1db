using RedisProxy.Api.Core;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Http;

/// <summary>
/// <c>GET /?keys=a,b,c</c>: every key's value and source in one JSON reply, in the order asked, misses fetched from
/// Redis in one MGET. Each result is shaped like a single read's body, with its key:
/// <c>{"results":[{"key":"a","value":"1","source":"local"},{"key":"b","value":null,"source":"redis"}],"status_code":200}</c>.
/// </summary>
internal static class BatchReads
{
    public static async Task SendAsync(HttpContext context, CachingProxy proxy, List<ReadOnlyMemory<byte>> keys)
    {
        var reads = await proxy.GetManyAsync(keys, 0, FrontDoor.Http, context.RequestAborted);
        await JsonReply.SendAsync(context, StatusCodes.Status200OK, (keys, reads), static (json, batch) =>
        {
            json.WriteStartArray(JsonFieldNames.Results);
            for (var i = 0; i < batch.reads.Length; i++)
            {
                json.WriteStartObject();
                json.WritePropertyName(JsonFieldNames.Key);
                JsonValueWriter.WriteKeyText(json, batch.keys[i].Span);
                JsonValueWriter.WriteRead(json, batch.reads[i]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }
}
