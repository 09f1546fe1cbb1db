using System.Net.Http.Json;
using System.Text.Json;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Operations;

/// <summary>One proxy instance as a test sees it: its key port and its management port.</summary>
public sealed class ProxyClient(Uri httpAddress, Uri managementAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = httpAddress, Timeout = TimeSpan.FromSeconds(30) };
    private readonly HttpClient _management = new() { BaseAddress = managementAddress, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Http => _http;

    public HttpClient Management => _management;

    public static ProxyClient For(ApiProcess api) => new(api.HttpAddress, api.ManagementAddress);

    /// <summary>GET /{key}: the status, the value (null when absent) and where it came from.</summary>
    public async Task<(int Status, string? Value, string? Source)> GetAsync(string key)
    {
        using var response = await _http.GetAsync($"/{key}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode,
            body.TryGetProperty("value", out var value) ? value.GetString() : null,
            body.TryGetProperty("source", out var source) ? source.GetString() : null);
    }

    public async Task PutAsync(string key, string value)
    {
        using var response = await _http.PutAsync($"/{key}", new StringContent(value));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Reads the key until it is served from the cache. With tracking on, an invalidation that arrives while a read
    /// is on the wire (even one for an earlier write) keeps that read's value out of the cache, so one read may not do.
    /// </summary>
    public Task<(int Status, string? Value, string? Source)> CacheAsync(string key) =>
        Eventually.MatchesAsync(() => GetAsync(key), read => read.Source == "local", TimeSpan.FromSeconds(5), $"{key} to be cached");

    /// <summary>GET /cache: the keys held, least recently used first.</summary>
    public async Task<IReadOnlyList<string>> CachedKeysAsync()
    {
        var body = await _http.GetFromJsonAsync<JsonElement>("/cache");
        return [.. body.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!)];
    }

    /// <summary>GET /status on the management port.</summary>
    public Task<JsonElement> StatusAsync() => _management.GetFromJsonAsync<JsonElement>("/status");

    /// <summary>Waits until Redis is sending this proxy invalidations (CACHE_INVALIDATION=tracking).</summary>
    public Task WaitUntilInvalidationActiveAsync(TimeSpan timeout) =>
        Eventually.MatchesAsync(
            async () => (await StatusAsync()).GetProperty("invalidation").GetProperty("active").GetBoolean(),
            active => active,
            timeout,
            "cache invalidation to be armed");

    public void Dispose()
    {
        _http.Dispose();
        _management.Dispose();
    }
}
