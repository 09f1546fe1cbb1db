namespace Aspire.Hosting;

/// <summary>
/// The optional client secret (<c>proxy-password</c>, a secret parameter: user secrets or
/// <c>--Parameters:proxy-password=…</c>). When set, RESP clients must AUTH and HTTP clients send it as a Bearer
/// token; when not, no parameter is declared and the proxy is open, as by default.
/// </summary>
internal static class ProxyClientPassword
{
    public const string ParameterName = "proxy-password";

    public static IResourceBuilder<T> WithClientPasswordSetting<T>(this IResourceBuilder<T> api)
        where T : ProjectResource
    {
        var builder = api.ApplicationBuilder;
        if (string.IsNullOrEmpty(builder.Configuration[$"Parameters:{ParameterName}"]))
        {
            return api;
        }

        var password = builder.AddParameter(ParameterName, secret: true);
        return api.WithEnvironment("PROXY_REQUIREPASS", password);
    }
}
