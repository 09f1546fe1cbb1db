namespace RedisProxy.Api.Http;

/// <summary>Response headers of key reads beyond the JSON body, with their values interned.</summary>
internal static class ProxyHeaders
{
    /// <summary>Where the answer came from, <c>local</c> or <c>redis</c>: the raw-bytes and 304 replies have no body to say it.</summary>
    public const string CacheSource = "X-Cache-Source";

    public const string Local = "local";
    public const string Redis = "redis";

    /// <summary>The representation depends on Accept, so shared caches must key on it.</summary>
    public const string VaryOnAccept = "Accept";

    /// <summary>Absent keys are not cached by the proxy; clients should ask again rather than reuse a 404.</summary>
    public const string NoCache = "no-cache";

    /// <summary><c>max-age</c> in whole seconds, rounded down, so a client never keeps a value longer than the proxy does.</summary>
    public static string MaxAge(TimeSpan timeToLive)
    {
        var seconds = Math.Max(0L, (long)Math.Floor(timeToLive.TotalSeconds));
        return "max-age=" + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
