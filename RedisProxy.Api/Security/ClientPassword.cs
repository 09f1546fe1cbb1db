using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RedisProxy.Api.Configuration;

namespace RedisProxy.Api.Security;

/// <summary>
/// PROXY_REQUIREPASS, the one client secret of both front doors (RESP AUTH, HTTP Bearer), held only as a SHA-256 digest. Offered passwords are hashed too and the digests compared in
/// constant time, so neither the content nor the length of the secret leaks through timing.
/// </summary>
internal sealed class ClientPassword
{
    private readonly byte[]? _digest;

    public ClientPassword(IOptions<ProxyOptions> options)
    {
        var password = options.Value.RequirePass;
        _digest = password is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(password));
    }

    public bool IsRequired => _digest is not null;

    public bool Matches(ReadOnlySpan<byte> offered)
    {
        if (_digest is null)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(offered, digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }
}
