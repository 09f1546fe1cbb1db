using System.Text;
using System.Text.Json;
using System.Text.Unicode;

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
