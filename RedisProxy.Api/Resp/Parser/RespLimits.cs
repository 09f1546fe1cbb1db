namespace RedisProxy.Api.Resp.Parser;

/// <summary>How large one request may be. A frame that breaks any of these is a protocol error, as in Redis.</summary>
/// <param name="MaxBulkBytes">RESP_MAX_BULK_BYTES: the longest single argument (Redis's proto-max-bulk-len).</param>
/// <param name="MaxMultibulkLength">RESP_MAX_MULTIBULK_LENGTH: the most arguments in one command.</param>
/// <param name="MaxInlineBytes">RESP_MAX_INLINE_BYTES: the longest inline command line.</param>
internal readonly record struct RespLimits(int MaxBulkBytes, int MaxMultibulkLength, int MaxInlineBytes)
{
    /// <summary>
    /// One whole request never needs more than this (Redis's client-query-buffer-limit), whatever the other limits
    /// allow together; it also keeps every offset inside a frame an <see cref="int"/>.
    /// </summary>
    public const int MaxRequestBytes = 1024 * 1024 * 1024;

    public static RespLimits Default { get; } = new(512 * 1024 * 1024, 1024 * 1024, 64 * 1024);
}
