using System.Text;
using RedisProxy.Api.Commands;

namespace RedisProxy.Api.Tests.Commands;

/// <summary>A command line split on spaces, as <see cref="ICommandArguments"/>.</summary>
internal sealed class TextArguments(string line) : ICommandArguments
{
    private readonly byte[][] _arguments = [.. line.Split(' ').Select(Encoding.UTF8.GetBytes)];

    public int Count => _arguments.Length;

    public ReadOnlySpan<byte> this[int index] => _arguments[index];
}
