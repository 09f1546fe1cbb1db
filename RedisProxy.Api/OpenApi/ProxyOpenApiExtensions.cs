namespace RedisProxy.Api.OpenApi;

/// <summary>The OpenAPI document of the key port, served on the management port.</summary>
internal static class ProxyOpenApiExtensions
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddProxyOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer<KeyPortDocumentTransformer>());

    /// <summary>Maps the document; call it where only management-port requests reach (after the key port's branch).</summary>
    public static IEndpointRouteBuilder MapProxyOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi();
        return endpoints;
    }
}
