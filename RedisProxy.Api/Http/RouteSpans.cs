using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace RedisProxy.Api.Http;

/// <summary>
/// Names a request's span by its route, as OpenTelemetry's HTTP conventions do (<c>{method} {http.route}</c>): the
/// front door routes requests itself, so ASP.NET Core knows no route and would call every span just "GET". Costs
/// nothing unless the request is traced.
/// </summary>
internal static class RouteSpans
{
    public const string Key = "/{key}";
    public const string Ping = "/ping";
    public const string Cache = "/cache";
    public const string Batch = "/";

    /// <summary>The route of a path that is a key or one of the two reserved names.</summary>
    public static string RouteOf(ReadOnlySpan<byte> key) =>
        ReservedPaths.IsPing(key) ? Ping : ReservedPaths.IsCache(key) ? Cache : Key;

    public static void Name(HttpContext context, string route)
    {
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            activity.DisplayName = $"{context.Request.Method} {route}";
            activity.SetTag("http.route", route);
        }
    }
}
