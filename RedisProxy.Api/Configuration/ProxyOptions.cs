namespace RedisProxy.Api.Configuration;

/// <summary>
/// Every setting of the proxy. Each is read from the environment variable named in its comment
/// (see <see cref="ProxyOptionsReader"/>); the defaults are the seed's.
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>PROXY_IP: the address the HTTP, RESP and management listeners bind to.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>PROXY_PORT: the HTTP front door, where every path is a key.</summary>
    public int HttpPort { get; set; } = 8989;

    /// <summary>PROXY_RESP_PORT: the Redis-protocol front door; 0 turns it off.</summary>
    public int RespPort { get; set; } = 6380;

    /// <summary>PROXY_MANAGEMENT_PORT: health endpoints, kept off the key port so they shadow no key.</summary>
    public int ManagementPort { get; set; } = 8990;

    /// <summary>REDIS_SERVER_IP: the backend host when no <c>ConnectionStrings:redis</c> is given.</summary>
    public string RedisHost { get; set; } = "localhost";

    /// <summary>REDIS_SERVER_PORT: the backend port when no <c>ConnectionStrings:redis</c> is given.</summary>
    public int RedisPort { get; set; } = 6379;

    /// <summary>REDIS_USER: the ACL user for the backend, if it uses ACLs.</summary>
    public string? RedisUser { get; set; }

    /// <summary>REDIS_PASSWORD: the backend's password; never logged.</summary>
    public string? RedisPassword { get; set; }

    /// <summary>REDIS_TLS: connect to the backend over TLS.</summary>
    public bool RedisTls { get; set; }

    /// <summary>CACHE_EXPIRY (seconds): how long an entry counts as present after it was cached.</summary>
    public TimeSpan CacheExpiry { get; set; } = TimeSpan.FromSeconds(3600);

    /// <summary>CACHE_MAX_BYTES: the most key and value bytes the cache holds, evicting least recently used first; 0 (default) for no limit.</summary>
    public long CacheMaxBytes { get; set; }

    /// <summary>CACHE_MAX_VALUE_BYTES: values larger than this are served but not cached; 0 (default) caches any size.</summary>
    public int CacheMaxValueBytes { get; set; }

    /// <summary>CACHE_CAPACITY: the most entries the cache holds.</summary>
    public int CacheCapacity { get; set; } = 1500;

    /// <summary>MAX_CONCURRENT_REQUESTS: how many requests may use the backend at once.</summary>
    public int MaxConcurrentRequests { get; set; } = 11;

    /// <summary>MAX_QUEUED_REQUESTS: how many more may wait for a slot before the proxy answers 503.</summary>
    public int MaxQueuedRequests { get; set; } = 1000;

    /// <summary>BACKEND_TIMEOUT_MS: the longest a request waits for a slot and the backend together.</summary>
    public TimeSpan BackendTimeout { get; set; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>
    /// MAX_PINNED_CONNECTIONS: backend connections clients may hold for themselves at once (transactions, subscribers,
    /// blocking commands); beyond, such a command is refused at once.
    /// </summary>
    public int MaxPinnedConnections { get; set; } = 64;

    /// <summary>MAX_KEY_BYTES: the longest key accepted, in bytes after percent-decoding.</summary>
    public int MaxKeyBytes { get; set; } = 1024;

    /// <summary>RESP_MAX_BULK_BYTES: the longest single RESP argument (Redis's proto-max-bulk-len, same default).</summary>
    public int RespMaxBulkBytes { get; set; } = 512 * 1024 * 1024;

    /// <summary>RESP_MAX_MULTIBULK_LENGTH: the most arguments in one RESP command (Redis's limit).</summary>
    public int RespMaxMultibulkLength { get; set; } = 1024 * 1024;

    /// <summary>RESP_MAX_INLINE_BYTES: the longest inline RESP command line (Redis's limit).</summary>
    public int RespMaxInlineBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// RESP_IDLE_TIMEOUT_SECONDS: close a RESP connection that has sent nothing for this long (Redis's <c>timeout</c>);
    /// zero, the default, keeps idle connections open as Redis does, for client pools that hold them.
    /// </summary>
    public TimeSpan RespIdleTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// RESP_FRAME_TIMEOUT_SECONDS: close a RESP connection whose command has begun but is not complete after this long,
    /// however slowly its bytes keep coming (the slow-loris guard); zero turns it off.
    /// </summary>
    public TimeSpan RespFrameTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// RESP_DENY_COMMANDS: more commands to refuse on the RESP port, lower-case, a subcommand as <c>config|get</c>
    /// (like Redis's rename-command or an ACL's <c>-keys</c>); empty by default.
    /// </summary>
    public IReadOnlyList<string> RespDeniedCommands { get; set; } = [];

    /// <summary>
    /// RESP_ALLOW_COMMANDS: admin commands to forward after all (refused by default), e.g. <c>config|set</c>; a
    /// command named in both lists is refused.
    /// </summary>
    public IReadOnlyList<string> RespAllowedCommands { get; set; } = [];

    /// <summary>HTTP_HEADERS_TIMEOUT_SECONDS: how long a client may take to send a request's headers (Kestrel answers 408).</summary>
    public TimeSpan HttpHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP_KEEPALIVE_TIMEOUT_SECONDS: how long an idle keep-alive HTTP connection stays open.</summary>
    public TimeSpan HttpKeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>HTTP_MAX_HEADER_BYTES: the most header bytes one request may carry (Kestrel answers 431).</summary>
    public int HttpMaxHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>MAX_VALUE_BYTES: the largest HTTP PUT body, that is the largest value written over HTTP (413 past it).</summary>
    public int MaxValueBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// HTTP_MIN_BODY_BYTES_PER_SECOND: a request body arriving slower than this (after a 5 s grace period) is cut
    /// off, so a slow uploader cannot hold a connection; zero turns the check off.
    /// </summary>
    public int HttpMinBodyBytesPerSecond { get; set; } = 240;

    /// <summary>PROXY_REQUIREPASS: when set, RESP clients must AUTH with it first; unset, no password is asked.</summary>
    public string? RequirePass { get; set; }

    /// <summary>CACHE_INVALIDATION: <c>off</c> (entries live until they expire) or <c>tracking</c> (Redis tells every replica to drop written keys).</summary>
    public CacheInvalidationMode CacheInvalidation { get; set; } = CacheInvalidationMode.Off;

    /// <summary>
    /// TRACE_HITS_ONE_IN: when traces are collected, one cache hit in this many gets a span (0: none, 1: every hit).
    /// Misses, writes and every other command always get theirs; a hit costs tens of nanoseconds and a span far more.
    /// </summary>
    public int TraceHitsOneIn { get; set; } = 100;

    /// <summary>SHUTDOWN_TIMEOUT_SECONDS: how long a stopping proxy lets in-flight requests finish.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// PROXY_INLINE_SCHEDULING: run requests on the socket event threads instead of handing each to the thread pool
    /// (on by default: most thread switches per request go; see Hosting/InlineSocketScheduling).
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>
    /// PROXY_IO_THREADS: with inline scheduling, how many socket event threads serve every connection. Half the
    /// processors by default, at least one: an event thread runs each request to its end, and the other half is left
    /// to what feeds the event threads (the kernel's network work, the backend's replies on the thread pool, clients
    /// on the same machine). On a 2-core machine that is one thread, which measured fastest on every RESP and HTTP-hit
    /// figure there (docs/performance.md); Redis, likewise, advises I/O threads only from 4 cores up.
    /// </summary>
    public int IoThreads { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>PROXY_IP as the address to bind: <c>localhost</c> is the loopback address and <c>*</c> every IPv4 address.</summary>
    internal System.Net.IPAddress ListenIPAddress => ListenAddress switch
    {
        "localhost" => System.Net.IPAddress.Loopback,
        "*" => System.Net.IPAddress.Any,
        var text => System.Net.IPAddress.Parse(text),
    };

    /// <summary>The ports the proxy listens on, each with its setting's name; a RESP port of 0 (off) included.</summary>
    internal (string Setting, int Port)[] ListeningPorts =>
        [("PROXY_PORT", HttpPort), ("PROXY_RESP_PORT", RespPort), ("PROXY_MANAGEMENT_PORT", ManagementPort)];

    /// <summary>Problems found while reading the settings; start-up stops when there is any.</summary>
    internal List<string> Problems { get; } = [];
}
