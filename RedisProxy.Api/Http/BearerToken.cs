using System.Buffers;
using System.Text;
using Microsoft.Net.Http.Headers;
using RedisProxy.Api.Core;
using RedisProxy.Api.Security;

namespace RedisProxy.Api.Http;

/// <summary>Checks <c>Authorization: Bearer &lt;secret&gt;</c> against PROXY_REQUIREPASS, in constant time.</summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer ";
    private const int StackLimit = 256;

    public static bool Matches(HttpRequest request, ClientPassword password)
    {
        var header = request.Headers[HeaderNames.Authorization];
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = value.AsSpan(Scheme.Length).Trim();
        var length = Encoding.UTF8.GetByteCount(token);
        byte[]? rented = null;
        var bytes = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(token, bytes);
            return password.Matches(bytes[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }
}
