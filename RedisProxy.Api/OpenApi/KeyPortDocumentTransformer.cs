using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.OpenApi;

/// <summary>
/// Describes the key port in the OpenAPI document. The key port is one hand-dispatched terminal handler, not routed
/// endpoints (every path is a key), so nothing is there for the generator to discover: its routes are written here.
/// </summary>
internal sealed class KeyPortDocumentTransformer(IOptions<ProxyOptions> options) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        document.Info = new OpenApiInfo
        {
            Title = "RedisProxy HTTP API",
            Version = "v1",
            Description = "A caching read-through proxy in front of Redis. Every path on the key port (PROXY_PORT) is a key, "
                + "except /ping, /cache and the root; this document is served on the management port (PROXY_MANAGEMENT_PORT) "
                + "so that it shadows no key. Keys and values are bytes.",
        };
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "http://{host}:{port}",
                Description = "The key port, PROXY_PORT. Under the AppHost, use the api resource's http endpoint.",
                Variables = new Dictionary<string, OpenApiServerVariable>
                {
                    ["host"] = new() { Default = "localhost" },
                    ["port"] = new() { Default = settings.HttpPort.ToString(CultureInfo.InvariantCulture) },
                },
            },
        ];

        ContractSchemas.Register(document);
        var replies = new ContractReplies(document, settings.MaxKeyBytes);
        document.Paths ??= [];
        document.Paths["/{key}"] = KeyPath(replies, settings.MaxKeyBytes);
        document.Paths["/"] = BatchPath(replies);
        document.Paths["/ping"] = PingPath(replies);
        document.Paths["/cache"] = CachePath(replies);
        return Task.CompletedTask;
    }

    private static OpenApiPathItem KeyPath(ContractReplies replies, int maxKeyBytes)
    {
        var key = new OpenApiParameter
        {
            Name = "key",
            In = ParameterLocation.Path,
            Required = true,
            Description = "The whole path after the first '/', percent-decoded into bytes: %2F is a '/' inside the key, and any "
                + $"byte can be sent as %XX. At most MAX_KEY_BYTES ({maxKeyBytes}) bytes. ping and cache are the reserved routes.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        var ifNoneMatch = new OpenApiParameter
        {
            Name = "If-None-Match",
            In = ParameterLocation.Header,
            Description = "ETags from earlier reads (or *): when one is the value's current ETag, the answer is 304 without a body.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };

        OpenApiOperation Read(string id, string summary) => new()
        {
            OperationId = id,
            Summary = summary,
            Description = "Answered from the local cache when it holds the key, else read through from Redis and cached. "
                + "Send Accept: application/octet-stream for the raw bytes; a 404 and every error stay JSON.",
            Parameters = [key, ifNoneMatch],
            Responses = new OpenApiResponses
            {
                ["200"] = replies.ValueRead(),
                ["304"] = ContractReplies.NotModified(),
                ["400"] = replies.BadKey(),
                ["404"] = replies.Reply("Redis does not have the key.", ContractSchemas.Absent, ContractReplies.CacheSource, ContractReplies.CacheControl),
                ["405"] = replies.MethodNotAllowed("GET, HEAD, PUT, DELETE"),
                ["409"] = replies.Error("The key holds a Redis type other than a string (the error names it)."),
                ["414"] = replies.KeyTooLong(),
                ["503"] = replies.Overloaded(),
                ["504"] = replies.BackendTimeout(),
            },
        };

        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = Read("getKey", "Read a key"),
                [HttpMethod.Head] = Read("headKey", "Read a key's headers: GET without the body"),
                [HttpMethod.Put] = new()
                {
                    OperationId = "putKey",
                    Summary = "Write a key",
                    Description = "Stores the request body's bytes as the value: in Redis first (SET, with EX/PX when ttl is given), "
                        + "then in the local cache, for no longer than the ttl.",
                    Parameters =
                    [
                        key,
                        new OpenApiParameter
                        {
                            Name = "ttl",
                            In = ParameterLocation.Query,
                            Description = "The key's time to live in seconds (fractions allowed); without it the key does not expire.",
                            Schema = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0.001" },
                        },
                    ],
                    RequestBody = new OpenApiRequestBody
                    {
                        Required = false,
                        Description = "The value, any bytes; an empty body stores an empty string.",
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                            ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                        },
                    },
                    Responses = new OpenApiResponses
                    {
                        ["200"] = replies.Reply("Written to Redis and cached.", ContractSchemas.Written),
                        ["400"] = replies.Error("The key's percent-encoding is invalid, the ttl is not a positive number of seconds, or the request is malformed."),
                        ["405"] = replies.MethodNotAllowed("GET, HEAD, PUT, DELETE"),
                        ["413"] = replies.Error("The body is larger than the server accepts."),
                        ["414"] = replies.KeyTooLong(),
                        ["503"] = replies.Overloaded(),
                        ["504"] = replies.BackendTimeout(),
                    },
                },
                [HttpMethod.Delete] = new()
                {
                    OperationId = "deleteKey",
                    Summary = "Delete a key",
                    Description = "Deletes the key in Redis (DEL) and drops it from the local cache.",
                    Parameters = [key],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = replies.Reply("Redis had the key; it is gone from Redis and the cache.", ContractSchemas.Deleted),
                        ["400"] = replies.BadKey(),
                        ["404"] = replies.Reply("Redis had no such key.", ContractSchemas.Deleted),
                        ["405"] = replies.MethodNotAllowed("GET, HEAD, PUT, DELETE"),
                        ["414"] = replies.KeyTooLong(),
                        ["503"] = replies.Overloaded(),
                        ["504"] = replies.BackendTimeout(),
                    },
                },
            },
        };
    }

    private static OpenApiPathItem BatchPath(ContractReplies replies)
    {
        OpenApiOperation Read(string id, string summary) => new()
        {
            OperationId = id,
            Summary = summary,
            Description = "Every key's value and source in one reply, in the order asked. Hits come from the local cache; all misses "
                + "are read from Redis in one MGET round trip and cached. Without ?keys= the root is a 400 (it is no key).",
            Parameters =
            [
                new OpenApiParameter
                {
                    Name = "keys",
                    In = ParameterLocation.Query,
                    Required = true,
                    Style = ParameterStyle.Form,
                    Explode = false,
                    Description = "Comma-separated keys, each percent-encoded like a path key: split on the literal commas first, "
                        + "so %2C is a comma inside a key; + is a space, %2B a plus. The parameter may also be repeated.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            ],
            Responses = new OpenApiResponses
            {
                ["200"] = replies.Reply("Each key's value (null when absent) and source.", ContractSchemas.Batch),
                ["400"] = replies.Error("keys is missing, lists an empty key, has invalid percent-encoding, or a GET carries a body."),
                ["405"] = replies.MethodNotAllowed("GET, HEAD"),
                ["414"] = replies.KeyTooLong(),
                ["503"] = replies.Overloaded(),
                ["504"] = replies.BackendTimeout(),
            },
        };

        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = Read("getKeys", "Read many keys at once"),
                [HttpMethod.Head] = Read("headKeys", "Read many keys: GET without the body"),
            },
        };
    }

    private static OpenApiPathItem PingPath(ContractReplies replies)
    {
        OpenApiOperation Ping(string id) => new()
        {
            OperationId = id,
            Summary = "Check that the proxy answers",
            Responses = new OpenApiResponses
            {
                ["200"] = replies.Reply("The proxy answers.", ContractSchemas.Ping),
                ["405"] = replies.MethodNotAllowed("GET, HEAD"),
            },
        };

        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = Ping("ping"),
                [HttpMethod.Head] = Ping("headPing"),
            },
        };
    }

    private static OpenApiPathItem CachePath(ContractReplies replies)
    {
        OpenApiOperation Describe(string id) => new()
        {
            OperationId = id,
            Summary = "Describe the local cache",
            Responses = new OpenApiResponses
            {
                ["200"] = replies.Reply("The cached keys, least recently used first, with occupancy and capacity.", ContractSchemas.Cache),
                ["405"] = replies.MethodNotAllowed("GET, HEAD, DELETE"),
            },
        };

        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = Describe("getCache"),
                [HttpMethod.Head] = Describe("headCache"),
                [HttpMethod.Delete] = new()
                {
                    OperationId = "clearCache",
                    Summary = "Empty the local cache (Redis keeps every key)",
                    Responses = new OpenApiResponses
                    {
                        ["200"] = replies.Reply("The local cache is empty.", ContractSchemas.Cleared),
                        ["405"] = replies.MethodNotAllowed("GET, HEAD, DELETE"),
                    },
                },
            },
        };
    }
}
