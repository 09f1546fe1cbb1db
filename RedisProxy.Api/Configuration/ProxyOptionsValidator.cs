using Microsoft.Extensions.Options;

namespace RedisProxy.Api.Configuration;

/// <summary>Fails start-up with every problem <see cref="ProxyOptionsReader"/> found, each naming its variable.</summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options) =>
        options.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problems);
}
