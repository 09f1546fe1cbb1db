using RedisProxy.Api.Configuration;
using StackExchange.Redis;

namespace RedisProxy.Api.Backend;

/// <summary>
/// Applies REDIS_USER, REDIS_PASSWORD and REDIS_TLS on top of whatever the connection string says. They are set on
/// the options object rather than spliced into the string, so a password may hold any character, and
/// StackExchange.Redis redacts it whenever it prints its configuration.
/// </summary>
internal static class BackendCredentials
{
    public static void Apply(ProxyOptions settings, ConfigurationOptions redis)
    {
        if (settings.RedisUser is not null)
        {
            redis.User = settings.RedisUser;
        }

        if (settings.RedisPassword is not null)
        {
            redis.Password = settings.RedisPassword;
        }

        if (settings.RedisTls)
        {
            redis.Ssl = true;
        }
    }
}
