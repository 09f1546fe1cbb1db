using System.Text.Json.Serialization;

namespace RedisProxy.Benchmarks.Baselines;

/// <summary>The proxy's read reply, <c>{"value":…,"source":…,"status_code":…}</c>, as a plain record.</summary>
internal sealed record BaselineReply(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("status_code")] int StatusCode);

/// <summary>The proxy's PUT reply, <c>{"key":…,"value":…,"status_code":…}</c>, as a plain record.</summary>
internal sealed record BaselineWriteReply(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("status_code")] int StatusCode);

/// <summary>Source-generated serialization of the baseline replies, as a trimmed ASP.NET Core app would use.</summary>
[JsonSerializable(typeof(BaselineReply))]
[JsonSerializable(typeof(BaselineWriteReply))]
internal sealed partial class BaselineReplyJson : JsonSerializerContext;
