using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Backends;

/// <summary>The two backends that need no container engine: Garnet from NuGet, and redis-server from PATH.</summary>
internal static class LocalBackends
{
    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServerBackend(this IDistributedApplicationBuilder builder, string name)
    {
        var server = new RedisServerResource(name, "redis-server", builder.AppHostDirectory);
        return builder.AddResource(server)
            .WithEndpoint(name: RedisServerResource.EndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(server.Endpoint.Property(EndpointProperty.TargetPort));
                // A cache's backend for local runs: loopback only, nothing written to disk.
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--save");
                context.Args.Add("");
                context.Args.Add("--appendonly");
                context.Args.Add("no");
            })
            .WithRedisPingHealthCheck(server.Endpoint);
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddGarnetBackend(this IDistributedApplicationBuilder builder, string name)
    {
        var garnet = builder.AddProject<Projects.RedisProxy_GarnetHost>($"{name}-garnet")
            .WithEndpoint(name: "tcp", scheme: "tcp");
        var endpoint = garnet.GetEndpoint("tcp");
        garnet.WithArgs(context =>
        {
            context.Args.Add("--port");
            context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            context.Args.Add("--bind");
            context.Args.Add("127.0.0.1");
        }).WithRedisPingHealthCheck(endpoint);

        return builder.AddConnectionString(name, ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}"))
            .WaitFor(garnet);
    }
}
