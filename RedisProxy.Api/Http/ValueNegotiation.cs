using Microsoft.Net.Http.Headers;

namespace RedisProxy.Api.Http;

/// <summary>
/// Chooses how a key read is represented: JSON (the seed's contract, and the default) or the raw value bytes when
/// the Accept header asks for <c>application/octet-stream</c> by name and rates it above JSON.
/// </summary>
internal static class ValueNegotiation
{
    public const string OctetStream = "application/octet-stream";
    private const string Json = "application/json";

    public static bool WantsRawBytes(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !Mentions(accept, "octet-stream") || !MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }

        double raw = 0;
        double? json = null;
        double? anyApplication = null;
        double? anything = null;
        foreach (var type in types)
        {
            var quality = type.Quality ?? 1;
            var name = type.MediaType.Value;
            if (string.Equals(name, OctetStream, StringComparison.OrdinalIgnoreCase))
            {
                raw = Math.Max(raw, quality);
            }
            else if (string.Equals(name, Json, StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json ?? 0, quality);
            }
            else if (string.Equals(name, "application/*", StringComparison.OrdinalIgnoreCase))
            {
                anyApplication = Math.Max(anyApplication ?? 0, quality);
            }
            else if (name == "*/*")
            {
                anything = Math.Max(anything ?? 0, quality);
            }
        }

        // The most specific range that covers JSON sets its quality; on a tie JSON, the default, wins.
        var jsonQuality = json ?? anyApplication ?? anything ?? 0;
        return raw > 0 && raw > jsonQuality;
    }

    private static bool Mentions(Microsoft.Extensions.Primitives.StringValues values, string text)
    {
        foreach (var value in values)
        {
            if (value is not null && value.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
