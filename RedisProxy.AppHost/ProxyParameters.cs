namespace Aspire.Hosting;

/// <summary>The proxy's tunable settings as Aspire parameters, so the dashboard and manifests show them.</summary>
internal static class ProxyParameters
{
    /// <summary>
    /// A parameter whose value is <c>Parameters:{name}</c> from the AppHost's configuration (arguments, user secrets,
    /// appsettings, environment) when set, else <paramref name="defaultValue"/>, which manifests also carry.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddSetting(this IDistributedApplicationBuilder builder, string name, string defaultValue) =>
        builder.AddParameter(name, builder.Configuration[$"Parameters:{name}"] ?? defaultValue, publishValueAsDefault: true);
}
