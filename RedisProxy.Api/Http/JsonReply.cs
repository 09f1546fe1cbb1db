using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RedisProxy.Api.Http;

/// <summary>
/// Renders the small JSON bodies of the HTTP contract with a reused <see cref="Utf8JsonWriter"/>, then sends them
/// with an exact Content-Length. Every body ends with <c>"status_code"</c>, as the seed's did.
/// </summary>
internal static class JsonReply
{
    private const int LargestBufferKept = 64 * 1024;

    // Non-ASCII text stays readable; the body is application/json, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Task SendAsync<TState>(HttpContext context, int statusCode, TState state, Action<Utf8JsonWriter, TState> writeFields)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);

        writer.WriteStartObject();
        writeFields(writer, state);
        writer.WriteNumber(JsonFieldNames.StatusCode, statusCode);
        writer.WriteEndObject();
        writer.Flush();

        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;

        // Copied into the response pipe before any await, so the thread's buffer is free again when this returns.
        var body = response.BodyWriter;
        body.Write(buffer.WrittenSpan);
        if (buffer.Capacity > LargestBufferKept)
        {
            t_buffer = null;
            t_writer = null;
        }

        var flush = body.FlushAsync(context.RequestAborted);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }

    public static Task SendErrorAsync(HttpContext context, int statusCode, string message) =>
        SendAsync(context, statusCode, message, static (json, message) => json.WriteString(JsonFieldNames.Error, message));
}
