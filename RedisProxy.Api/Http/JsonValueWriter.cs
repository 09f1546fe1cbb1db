using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using RedisProxy.Api.Core;

namespace RedisProxy.Api.Http;

/// <summary>Writes Redis bytes into JSON without mangling them: UTF-8 text as a string, anything else as base64.</summary>
internal static class JsonValueWriter
{
    /// <summary>Writes <c>"value"</c>, followed by <c>"encoding":"base64"</c> when the bytes are not UTF-8 text.</summary>
    public static void WriteValue(Utf8JsonWriter json, ReadOnlySpan<byte> value)
    {
        if (Utf8.IsValid(value))
        {
            json.WriteString(JsonFieldNames.Value, value);
        }
        else
        {
            json.WriteBase64String(JsonFieldNames.Value, value);
            json.WriteString(JsonFieldNames.Encoding, JsonFieldNames.Base64);
        }
    }

    /// <summary>
    /// Writes a read as the contract shapes it: <c>"value"</c> (null when the key is absent) and <c>"source"</c>.
    /// One key's body and each entry of a batch read are both this.
    /// </summary>
    public static void WriteRead(Utf8JsonWriter json, ProxyRead read)
    {
        if (read.Found)
        {
            WriteValue(json, read.Value.Span);
        }
        else
        {
            json.WriteNull(JsonFieldNames.Value);
        }

        json.WriteString(JsonFieldNames.Source, read.Source == ReadSource.Local ? JsonFieldNames.Local : JsonFieldNames.Redis);
    }

    /// <summary>Keys are shown as text; bytes that are not UTF-8 show as U+FFFD.</summary>
    public static void WriteKeyText(Utf8JsonWriter json, ReadOnlySpan<byte> key)
    {
        if (Utf8.IsValid(key))
        {
            json.WriteStringValue(key);
        }
        else
        {
            json.WriteStringValue(Encoding.UTF8.GetString(key));
        }
    }
}
