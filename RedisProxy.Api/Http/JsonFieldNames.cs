using System.Text.Json;

namespace RedisProxy.Api.Http;

/// <summary>The field names of the HTTP contract, encoded once.</summary>
internal static class JsonFieldNames
{
    public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    public static readonly JsonEncodedText Encoding = JsonEncodedText.Encode("encoding");
    public static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    public static readonly JsonEncodedText StatusCode = JsonEncodedText.Encode("status_code");
    public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    public static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    public static readonly JsonEncodedText Keys = JsonEncodedText.Encode("keys");
    public static readonly JsonEncodedText Occupancy = JsonEncodedText.Encode("occupancy");
    public static readonly JsonEncodedText Capacity = JsonEncodedText.Encode("capacity");
    public static readonly JsonEncodedText Ping = JsonEncodedText.Encode("ping");
    public static readonly JsonEncodedText CacheCleared = JsonEncodedText.Encode("cache_cleared");
    public static readonly JsonEncodedText Local = JsonEncodedText.Encode("local");
    public static readonly JsonEncodedText Redis = JsonEncodedText.Encode("redis");
    public static readonly JsonEncodedText Base64 = JsonEncodedText.Encode("base64");
    public static readonly JsonEncodedText Results = JsonEncodedText.Encode("results");
    public static readonly JsonEncodedText Deleted = JsonEncodedText.Encode("deleted");
}
