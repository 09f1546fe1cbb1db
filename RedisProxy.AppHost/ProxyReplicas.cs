using System.Globalization;

namespace Aspire.Hosting;

/// <summary>
/// How many copies of the proxy run behind the AppHost's endpoints: the <c>api-replicas</c> setting
/// (<c>--Parameters:api-replicas=2</c>, user secrets or appsettings), 1 by default. Replicas share one Redis;
/// set <c>cache-invalidation</c> to <c>tracking</c> so a write through one drops the key from the others.
/// </summary>
internal static class ProxyReplicas
{
    public const string SettingName = "api-replicas";
    private const int Most = 64;

    public static IResourceBuilder<T> WithReplicasSetting<T>(this IResourceBuilder<T> api)
        where T : ProjectResource
    {
        var configured = api.ApplicationBuilder.Configuration[$"Parameters:{SettingName}"] ?? "1";
        if (!int.TryParse(configured.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var replicas)
            || replicas < 1 || replicas > Most)
        {
            throw new DistributedApplicationException(
                $"{SettingName} must be a whole number from 1 to {Most} (got '{configured}').");
        }

        api.WithReplicas(replicas);
        return api;
    }
}
