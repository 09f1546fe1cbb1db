using System.Text.Json.Serialization;

namespace RedisProxy.Benchmarks.Baselines;

/// <summary>The proxy's read reply, <c>{"value":…,"source":…,"status_code":…}</c>, as a plain record.</summary>
internal sealed record BaselineReply(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("status_code")] int StatusCode);

/// <summary>Source-generated serialization of <see cref="BaselineReply"/>, as a trimmed ASP.NET Core app would use.</summary>
[JsonSerializable(typeof(BaselineReply))]
internal sealed partial class BaselineReplyJson : JsonSerializerContext;
