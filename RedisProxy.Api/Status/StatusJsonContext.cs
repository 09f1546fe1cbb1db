using System.Text.Json.Serialization;

namespace RedisProxy.Api.Status;

/// <summary>Serializes the status report with the seed's snake_case names, without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
