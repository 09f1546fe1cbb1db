using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Http;

/// <summary>The OpenAPI document: served on the management port, describing every key-port route, absent from the key port.</summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class OpenApiDocumentTests(DefaultProxyApp proxy)
{
    private const string DocumentPath = "/openapi/v1.json";

    public static TheoryData<string, string, string[]> Routes => new()
    {
        { "/{key}", "get", ["200", "304", "400", "404", "405", "409", "414", "503", "504"] },
        { "/{key}", "head", ["200", "304", "400", "404", "405", "409", "414", "503", "504"] },
        { "/{key}", "put", ["200", "400", "405", "413", "414", "503", "504"] },
        { "/{key}", "delete", ["200", "400", "404", "405", "414", "503", "504"] },
        { "/", "get", ["200", "400", "405", "414", "503", "504"] },
        { "/", "head", ["200", "400", "405", "414", "503", "504"] },
        { "/ping", "get", ["200", "405"] },
        { "/cache", "get", ["200", "405"] },
        { "/cache", "delete", ["200", "405"] },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task The_document_lists_each_route_with_every_status_it_answers(string path, string method, string[] statuses)
    {
        var document = await FetchDocumentAsync();

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        var responses = operation.GetProperty("responses");
        Assert.Equal(statuses.Order(), responses.EnumerateObject().Select(status => status.Name).Order());
        foreach (var status in statuses.Where(s => s[0] is '4' or '5'))
        {
            // A key's 404 is the contract's absent-value body (a delete's: the deleted body); every other 4xx and 5xx is the error body.
            var expected = status != "404" ? "/ErrorReply" : method == "delete" ? "/DeletedReply" : "/AbsentReply";
            Assert.EndsWith(expected, ResponseSchemaReference(responses.GetProperty(status)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_document_describes_the_parameters_and_the_error_shape()
    {
        var document = await FetchDocumentAsync();
        var paths = document.GetProperty("paths");

        var keyParameters = Names(paths.GetProperty("/{key}").GetProperty("get").GetProperty("parameters"));
        Assert.Equal(["key", "If-None-Match"], keyParameters);
        var batchParameter = Assert.Single(paths.GetProperty("/").GetProperty("get").GetProperty("parameters").EnumerateArray().ToArray());
        Assert.Equal("keys", batchParameter.GetProperty("name").GetString());
        Assert.Equal("query", batchParameter.GetProperty("in").GetString());
        Assert.False(batchParameter.GetProperty("explode").GetBoolean());

        var valueRead = paths.GetProperty("/{key}").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.Equal(["application/json", "application/octet-stream"], valueRead.GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.Equal(
            ["Cache-Control", "ETag", "Vary", "X-Cache-Source"],
            valueRead.GetProperty("headers").EnumerateObject().Select(h => h.Name).Order(StringComparer.Ordinal));

        var error = document.GetProperty("components").GetProperty("schemas").GetProperty("ErrorReply");
        Assert.Equal(["error", "status_code"], error.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["error", "status_code"], error.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task The_key_port_does_not_serve_the_document_it_is_just_a_key()
    {
        using var response = await proxy.Http.GetAsync(DocumentPath);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"value":null,"source":"redis","status_code":404}""", await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> FetchDocumentAsync()
    {
        using var management = proxy.App.CreateHttpClient("api", "management");
        using var response = await management.GetAsync(DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ProxyApp.ReadJsonAsync(response);
    }

    private static string ResponseSchemaReference(JsonElement response) =>
        response.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;

    private static string[] Names(JsonElement parameters) =>
        [.. parameters.EnumerateArray().Select(parameter => parameter.GetProperty("name").GetString()!)];
}
