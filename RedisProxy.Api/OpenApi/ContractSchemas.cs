using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace RedisProxy.Api.OpenApi;

/// <summary>The JSON bodies of the key port's contract as OpenAPI schemas, registered once as components.</summary>
internal static class ContractSchemas
{
    public const string Error = "ErrorReply";
    public const string Value = "ValueReply";
    public const string Absent = "AbsentReply";
    public const string Written = "WrittenReply";
    public const string Deleted = "DeletedReply";
    public const string Batch = "BatchReply";
    public const string BatchResult = "BatchResult";
    public const string Ping = "PingReply";
    public const string Cache = "CacheReply";
    public const string Cleared = "CacheClearedReply";

    private const string OptionalEncoding = "encoding";

    public static void Register(OpenApiDocument document)
    {
        document.AddComponent(Error, Object(
            "Every error on the key port: a message and the status code, which the HTTP status repeats.",
            ("error", Text("What went wrong.")),
            ("status_code", StatusCode(null))));

        document.AddComponent(Value, Object(
            "A key's value and where it came from.",
            ("value", ValueText()),
            ("encoding", Enumeration("Present only when the value is not valid UTF-8; the value is then base64.", "base64")),
            ("source", Source()),
            ("status_code", StatusCode(200))));

        document.AddComponent(Absent, Object(
            "Redis does not have the key. Absent keys are never cached, so the source is always redis.",
            ("value", new OpenApiSchema { Type = JsonSchemaType.Null }),
            ("source", Enumeration("Always redis.", "redis")),
            ("status_code", StatusCode(404))));

        document.AddComponent(Written, Object(
            "The key and value as written to Redis and the cache.",
            ("key", Text("The key as text; bytes that are not UTF-8 show as U+FFFD.")),
            ("value", ValueText()),
            ("encoding", Enumeration("Present only when the value is not valid UTF-8; the value is then base64.", "base64")),
            ("status_code", StatusCode(200))));

        document.AddComponent(Deleted, Object(
            "The key was deleted in Redis and dropped from the cache (200), or Redis had no such key (404).",
            ("key", Text("The key as text; bytes that are not UTF-8 show as U+FFFD.")),
            ("deleted", new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Whether Redis had the key." }),
            ("status_code", StatusCode(null))));

        document.AddComponent(BatchResult, Object(
            "One key of a batch read: its value (null when Redis lacks it) and source.",
            ("key", Text("The key as text; bytes that are not UTF-8 show as U+FFFD.")),
            ("value", new OpenApiSchema
            {
                Type = JsonSchemaType.String | JsonSchemaType.Null,
                Description = "The value; null when Redis does not have the key (or holds another type there, as MGET reports it).",
            }),
            ("encoding", Enumeration("Present only when the value is not valid UTF-8; the value is then base64.", "base64")),
            ("source", Source())));

        document.AddComponent(Batch, Object(
            "The keys asked for, in the order asked (duplicates included), each with its value and source.",
            ("results", new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(BatchResult, document) }),
            ("status_code", StatusCode(200))));

        document.AddComponent(Ping, Object(
            "The proxy answers.",
            ("ping", Enumeration("Always OK.", "OK")),
            ("status_code", StatusCode(200))));

        document.AddComponent(Cache, Object(
            "The local cache: its keys from least to most recently used, how many it holds, and how many it can.",
            ("keys", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text("A cached key as text.") }),
            ("occupancy", new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Entries held (expired ones excluded)." }),
            ("capacity", new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "CACHE_CAPACITY." }),
            ("status_code", StatusCode(200))));

        document.AddComponent(Cleared, Object(
            "The local cache is empty; Redis is untouched.",
            ("cache_cleared", new OpenApiSchema { Type = JsonSchemaType.Boolean, Enum = [JsonValue.Create(true)] }),
            ("status_code", StatusCode(200))));
    }

    private static OpenApiSchema Object(string description, params (string Name, IOpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties.ToDictionary(p => p.Name, p => p.Schema),
        // "encoding" is the one field that appears only sometimes: with values that are not UTF-8.
        Required = new HashSet<string>(properties.Select(p => p.Name).Where(name => name != OptionalEncoding)),
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema ValueText() =>
        Text("The value: UTF-8 text as a JSON string, or base64 when it is not valid UTF-8 (then encoding is base64).");

    private static OpenApiSchema Source() =>
        Enumeration("local: answered from the proxy's cache; redis: read from the backing Redis.", "local", "redis");

    private static OpenApiSchema Enumeration(string description, params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };

    private static OpenApiSchema StatusCode(int? value) => new()
    {
        Type = JsonSchemaType.Integer,
        Description = "The HTTP status code of the reply, repeated in the body.",
        Enum = value is null ? null : [JsonValue.Create(value.Value)],
    };
}
