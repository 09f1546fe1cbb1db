using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Configuration;
using RedisProxy.Api.Core;
using RedisProxy.Api.Failures;
using RedisProxy.Api.Security;
using RedisProxy.Api.Telemetry;

namespace RedisProxy.Api.Http;

/// <summary>
/// The HTTP front door on PROXY_PORT. Every path is a key except the seed's two reserved names, <c>/ping</c> and
/// <c>/cache</c>; the root with a <c>keys</c> query is the batch read. It is one terminal handler instead of routed endpoints because the key space is the whole path:
/// dispatching by hand keeps routing off the hot path and every reply, errors included, in the JSON contract.
/// </summary>
internal sealed class HttpFrontDoor(CachingProxy proxy, IOptions<ProxyOptions> options, ClientPassword password, HitSampler hits)
{
    private const string AllowKey = "GET, HEAD, PUT, DELETE";

    /// <summary>The longest <c>?ttl=</c> a PUT may give, in seconds (ten years, as CACHE_EXPIRY).</summary>
    private const double LongestTimeToLiveSeconds = 10 * 365.25 * 24 * 3600;
    private const string AllowPing = "GET, HEAD";
    private const string AllowCache = "GET, HEAD, DELETE";
    private const string AllowBatch = "GET, HEAD";

    private readonly int _maxKeyBytes = options.Value.MaxKeyBytes;

    public async Task HandleAsync(HttpContext context)
    {
        if (password.IsRequired && !BearerToken.Matches(context.Request, password))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await JsonReply.SendErrorAsync(context, StatusCodes.Status401Unauthorized, "authentication required: send Authorization: Bearer <PROXY_REQUIREPASS>");
            return;
        }

        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var path = KeyPath.PathOf(rawTarget);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(KeyPath.MaxDecodedLength(path), _maxKeyBytes + 4));
        try
        {
            var outcome = KeyPath.Decode(path, buffer, _maxKeyBytes, out var keyLength);
            var key = new ReadOnlyMemory<byte>(buffer, 0, keyLength);
            await (outcome switch
            {
                KeyPath.Outcome.Key => DispatchAsync(context, key),
                KeyPath.Outcome.Empty => RootAsync(context, rawTarget),
                KeyPath.Outcome.TooLong => JsonReply.SendErrorAsync(context, StatusCodes.Status414UriTooLong, $"key longer than {_maxKeyBytes} bytes"),
                _ => JsonReply.SendErrorAsync(context, StatusCodes.Status400BadRequest, "invalid percent-encoding in the key"),
            });
        }
        catch (ProxyFailureException failure)
        {
            await SendFailureAsync(context, failure);
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            await JsonReply.SendErrorAsync(context, bad.StatusCode, bad.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Task DispatchAsync(HttpContext context, ReadOnlyMemory<byte> key)
    {
        var method = context.Request.Method;
        var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        var route = RouteSpans.RouteOf(key.Span);
        RouteSpans.Name(context, route);
        if (ReferenceEquals(route, RouteSpans.Ping))
        {
            return isRead ? ReservedRoutes.PingAsync(context) : MethodNotAllowedAsync(context, AllowPing);
        }

        if (ReferenceEquals(route, RouteSpans.Cache))
        {
            return isRead ? ReservedRoutes.DescribeCacheAsync(context, proxy)
                : HttpMethods.IsDelete(method) ? ReservedRoutes.ClearCacheAsync(context, proxy)
                : MethodNotAllowedAsync(context, AllowCache);
        }

        if (isRead)
        {
            return HasBody(context.Request)
                ? BodyNotAllowedAsync(context)
                : ReadAsync(context, key);
        }

        return HttpMethods.IsPut(method) ? WriteAsync(context, key)
            : HttpMethods.IsDelete(method) ? DeleteAsync(context, key)
            : MethodNotAllowedAsync(context, AllowKey);
    }

    /// <summary>The root is no key: with <c>?keys=</c> it is the batch read, otherwise the seed's 400.</summary>
    private Task RootAsync(HttpContext context, string rawTarget)
    {
        RouteSpans.Name(context, RouteSpans.Batch);
        var keys = new List<ReadOnlyMemory<byte>>();
        var outcome = BatchKeys.Parse(rawTarget, _maxKeyBytes, keys);
        if (outcome == BatchKeys.Outcome.NotBatch)
        {
            return JsonReply.SendErrorAsync(context, StatusCodes.Status400BadRequest, "missing key: request GET /{key}");
        }

        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            return MethodNotAllowedAsync(context, AllowBatch);
        }

        return outcome switch
        {
            BatchKeys.Outcome.Keys when HasBody(context.Request) => BodyNotAllowedAsync(context),
            BatchKeys.Outcome.Keys => BatchReads.SendAsync(context, proxy, keys),
            BatchKeys.Outcome.EmptyKey => JsonReply.SendErrorAsync(context, StatusCodes.Status400BadRequest, "empty key in keys: list keys as ?keys=a,b,c"),
            BatchKeys.Outcome.TooLong => JsonReply.SendErrorAsync(context, StatusCodes.Status414UriTooLong, $"a key in keys is longer than {_maxKeyBytes} bytes"),
            _ => JsonReply.SendErrorAsync(context, StatusCodes.Status400BadRequest, "invalid percent-encoding in keys"),
        };
    }

    private async Task ReadAsync(HttpContext context, ReadOnlyMemory<byte> key)
    {
        var pending = proxy.GetTimedAsync(key, 0, FrontDoor.Http, context.RequestAborted);
        var (read, timeToLive) = pending.IsCompletedSuccessfully ? pending.Result : await pending;
        if (read.Source == ReadSource.Local && Activity.Current is { IsAllDataRequested: true } span)
        {
            hits.KeepOrDrop(span);
        }

        var response = context.Response;
        response.Headers[ProxyHeaders.CacheSource] = read.Source == ReadSource.Local ? ProxyHeaders.Local : ProxyHeaders.Redis;
        if (!read.Found)
        {
            response.Headers.CacheControl = ProxyHeaders.NoCache;
            await JsonReply.SendAsync(context, StatusCodes.Status404NotFound, read, JsonValueWriter.WriteRead);
            return;
        }

        var rawBytes = ValueNegotiation.WantsRawBytes(context.Request);
        var entityTag = EntityTags.For(read.Value.Span, rawBytes);
        response.Headers.ETag = entityTag;
        response.Headers.CacheControl = ProxyHeaders.MaxAge(timeToLive);
        response.Headers.Vary = ProxyHeaders.VaryOnAccept;
        if (EntityTags.IfNoneMatchHits(context.Request.Headers.IfNoneMatch, entityTag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        await (rawBytes
            ? SendRawAsync(context, read.Value)
            : JsonReply.SendAsync(context, StatusCodes.Status200OK, read, JsonValueWriter.WriteRead));
    }

    private static Task SendRawAsync(HttpContext context, ReadOnlyMemory<byte> value)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ValueNegotiation.OctetStream;
        response.ContentLength = value.Length;
        var write = response.BodyWriter.WriteAsync(value, context.RequestAborted);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }

    private async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> key)
    {
        if (!TryReadTimeToLive(context.Request, out var timeToLive))
        {
            await JsonReply.SendErrorAsync(context, StatusCodes.Status400BadRequest, "ttl must be a number of seconds greater than 0 (at most ten years)");
            return;
        }

        var value = await ReadBodyAsync(context.Request.BodyReader, context.RequestAborted);
        await proxy.SetAsync(key, 0, value, timeToLive, FrontDoor.Http, context.RequestAborted);
        await JsonReply.SendAsync(context, StatusCodes.Status200OK, (Key: key, Value: value), static (json, written) =>
        {
            json.WritePropertyName(JsonFieldNames.Key);
            JsonValueWriter.WriteKeyText(json, written.Key.Span);
            JsonValueWriter.WriteValue(json, written.Value);
        });
    }

    /// <summary>DELETE /{key}: deleted in Redis and dropped from the cache; 404 when Redis had no such key.</summary>
    private async Task DeleteAsync(HttpContext context, ReadOnlyMemory<byte> key)
    {
        var deleted = await proxy.DeleteAsync([key.ToArray()], 0, FrontDoor.Http, context.RequestAborted) > 0;
        await JsonReply.SendAsync(context, deleted ? StatusCodes.Status200OK : StatusCodes.Status404NotFound, (Key: key, Deleted: deleted), static (json, reply) =>
        {
            json.WritePropertyName(JsonFieldNames.Key);
            JsonValueWriter.WriteKeyText(json, reply.Key.Span);
            json.WriteBoolean(JsonFieldNames.Deleted, reply.Deleted);
        });
    }

    /// <summary>PUT's optional <c>?ttl=seconds</c> (fractions allowed); infinite when absent.</summary>
    private static bool TryReadTimeToLive(HttpRequest request, out TimeSpan timeToLive)
    {
        timeToLive = Timeout.InfiniteTimeSpan;
        if (!request.Query.TryGetValue("ttl", out var text))
        {
            return true;
        }

        if (text.Count != 1
            || !double.TryParse(text[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || seconds < 0.001 || seconds > LongestTimeToLiveSeconds)
        {
            return false;
        }

        timeToLive = TimeSpan.FromMilliseconds(Math.Ceiling(seconds * 1000));
        return true;
    }

    private static async Task<byte[]> ReadBodyAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var value = result.Buffer.ToArray();
                body.AdvanceTo(result.Buffer.End);
                return value;
            }

            // Nothing consumed until the whole body is here; Kestrel's MaxRequestBodySize bounds how much that is.
            body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static Task BodyNotAllowedAsync(HttpContext context) =>
        JsonReply.SendErrorAsync(context, StatusCodes.Status400BadRequest, "a GET request must not have a body");

    private static Task MethodNotAllowedAsync(HttpContext context, string allow)
    {
        context.Response.Headers.Allow = allow;
        return JsonReply.SendErrorAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {context.Request.Method} is not allowed here; use {allow}");
    }

    private static Task SendFailureAsync(HttpContext context, ProxyFailureException failure)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        var status = failure switch
        {
            WrongTypeException => StatusCodes.Status409Conflict,
            BackendTimeoutException => StatusCodes.Status504GatewayTimeout,
            BackendErrorException => StatusCodes.Status502BadGateway,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        // Both pass with the backend (a failover, a restart): a client may try again in a second.
        if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return JsonReply.SendErrorAsync(context, status, failure.Message);
    }
}
