using System.IO.Hashing;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace RedisProxy.Api.Http;

/// <summary>
/// ETags for key reads, computed from the value alone so every proxy instance and restart gives a value the same tag.
/// The raw bytes get a strong tag: the body is exactly the value. The JSON body also carries <c>"source"</c>, which
/// changes from redis to local while the value stays the same, so its tag is weak and distinct from the raw one
/// (content-negotiated representations must not share a tag).
/// </summary>
internal static class EntityTags
{
    /// <summary>
    /// XXH128 rather than a cryptographic hash: the tag is a validator, not a secret, and hashing runs on every read.
    /// Forging a collision needs write access to the key, which already lets one change what readers see.
    /// </summary>
    public static string For(ReadOnlySpan<byte> value, bool rawBytes)
    {
        var hash = XxHash128.HashToUInt128(value);
        return rawBytes ? $"\"{hash:x32}\"" : $"W/\"{hash:x32}.json\"";
    }

    /// <summary>Whether If-None-Match names <paramref name="tag"/> (or is <c>*</c>), by the weak comparison RFC 9110 asks for.</summary>
    public static bool IfNoneMatchHits(StringValues ifNoneMatch, string tag)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var candidates))
        {
            return false;
        }

        var ours = EntityTagHeaderValue.Parse(tag);
        foreach (var candidate in candidates)
        {
            if (candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(ours, useStrongComparison: false))
            {
                return true;
            }
        }

        return false;
    }
}
