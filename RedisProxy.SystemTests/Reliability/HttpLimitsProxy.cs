using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Reliability;

/// <summary>The API with tight HTTP limits: headers within 1 s, values of at most 1 MB; headers keep their 32 KB default.</summary>
public sealed class HttpLimitsProxy : StandaloneProxy
{
    public const int MaxValueBytes = 1024 * 1024;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["HTTP_HEADERS_TIMEOUT_SECONDS"] = "1",
        ["MAX_VALUE_BYTES"] = "1048576",
    };
}
