using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Reliability;

/// <summary>The API with short RESP timeouts: a command must arrive within 1 s, and a silent client goes after 3 s.</summary>
public sealed class RespTimeoutProxy : StandaloneProxy
{
    public static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RESP_FRAME_TIMEOUT_SECONDS"] = "2",
        ["RESP_IDLE_TIMEOUT_SECONDS"] = "5",
    };
}
