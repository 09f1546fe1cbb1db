using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RedisProxy.Api.Http;

namespace RedisProxy.Api.Tests.Http;

public sealed class RouteSpansTests
{
    [Theory]
    [InlineData("GET", "user:42", "GET /{key}")]
    [InlineData("PUT", "user:42", "PUT /{key}")]
    [InlineData("GET", "ping", "GET /ping")]
    [InlineData("DELETE", "cache", "DELETE /cache")]
    public void A_traced_request_is_named_by_method_and_route_never_by_key(string method, string key, string expected)
    {
        using var activity = new Activity("Microsoft.AspNetCore.Hosting.HttpRequestIn").Start();
        var context = Traced(method, activity);

        RouteSpans.Name(context, RouteSpans.RouteOf(System.Text.Encoding.UTF8.GetBytes(key)));

        Assert.Equal(expected, activity.DisplayName);
        Assert.Equal(expected[(method.Length + 1)..], activity.GetTagItem("http.route"));
    }

    private static DefaultHttpContext Traced(string method, Activity activity)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Features.Set<IHttpActivityFeature>(new ActivityFeature(activity));
        return context;
    }

    private sealed class ActivityFeature(Activity activity) : IHttpActivityFeature
    {
        public Activity Activity { get; set; } = activity;
    }
}
