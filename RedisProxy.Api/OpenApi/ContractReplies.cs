using Microsoft.OpenApi;

namespace RedisProxy.Api.OpenApi;

/// <summary>The responses of the key port's contract, built from <see cref="ContractSchemas"/> and the headers it sends.</summary>
internal sealed class ContractReplies(OpenApiDocument document, int maxKeyBytes)
{
    private const string Json = "application/json";

    public static readonly (string, string) CacheSource = ("X-Cache-Source", "Where the answer came from: local (the proxy's cache) or redis.");
    public static readonly (string, string) EntityTag = ("ETag",
        "Computed from the value: strong for the raw bytes, weak for JSON (whose body also names the source). Send it back in If-None-Match.");
    public static readonly (string, string) CacheControl = ("Cache-Control",
        "max-age=N: the whole seconds the value stays in the proxy's cache (what is left for a local hit, CACHE_EXPIRY for a value just read); no-cache on 404.");
    public static readonly (string, string) VaryOnAccept = ("Vary", "Accept: the representation depends on it.");

    public OpenApiResponse Reply(string description, string schema, params (string Name, string Description)[] headers) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = new OpenApiSchemaReference(schema, document) } },
        Headers = Headers(headers),
    };

    public OpenApiResponse Error(string description, params (string Name, string Description)[] headers) =>
        Reply(description, ContractSchemas.Error, headers);

    /// <summary>The key read's 200: JSON by default, the raw bytes when Accept asks for application/octet-stream.</summary>
    public OpenApiResponse ValueRead()
    {
        var reply = Reply(
            "The value. JSON by default; with Accept: application/octet-stream, the value's raw bytes (the source is then in X-Cache-Source).",
            ContractSchemas.Value,
            CacheSource, EntityTag, CacheControl, VaryOnAccept);
        reply.Content!["application/octet-stream"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The value exactly as Redis holds it." },
        };
        return reply;
    }

    public static OpenApiResponse NotModified() => new()
    {
        Description = "If-None-Match names the current ETag (or is *): the value has not changed, so there is no body.",
        Headers = Headers([CacheSource, EntityTag, CacheControl, VaryOnAccept]),
    };

    public OpenApiResponse BadKey() => Error(
        "The key's percent-encoding is invalid, or a GET carries a body.");

    public OpenApiResponse KeyTooLong() => Error($"The key is longer than MAX_KEY_BYTES ({maxKeyBytes} bytes here).");

    public OpenApiResponse MethodNotAllowed(string allowed) => Error(
        $"The method is not one of {allowed}.", ("Allow", $"The methods this path takes: {allowed}."));

    public OpenApiResponse Overloaded() => Error(
        "The backend is unreachable, its circuit is open after repeated failures, or every backend slot is busy and the queue is full.",
        ("Retry-After", "Seconds to wait before trying again (1)."));

    public OpenApiResponse BackendTimeout() => Error(
        "The backend did not answer within BACKEND_TIMEOUT_MS.",
        ("Retry-After", "Seconds to wait before trying again (1)."));

    private static Dictionary<string, IOpenApiHeader> Headers((string Name, string Description)[] headers) =>
        headers.ToDictionary(h => h.Name, h => (IOpenApiHeader)new OpenApiHeader
        {
            Description = h.Description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
}
