namespace Aspire.Hosting;

/// <summary>The API's three listeners as named Aspire endpoints, each port handed to the API in its seed variable.</summary>
internal static class ProxyEndpoints
{
    public const string Http = "http";
    public const string Resp = "resp";
    public const string Management = "management";

    public static IResourceBuilder<ProjectResource> WithProxyEndpoints(this IResourceBuilder<ProjectResource> api)
    {
        api.WithHttpEndpoint(port: 8989, name: Http, env: "PROXY_PORT")
            .WithHttpEndpoint(port: 8990, name: Management, env: "PROXY_MANAGEMENT_PORT")
            .WithEndpoint(port: 6380, name: Resp, scheme: "tcp", env: "PROXY_RESP_PORT")
            .WithHttpHealthCheck("/health", endpointName: Management);

        if (api.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            // Aspire's proxy forwards the public ports from loopback; the API itself needs no other interface.
            api.WithEnvironment("PROXY_IP", "127.0.0.1");
        }

        return api;
    }
}
