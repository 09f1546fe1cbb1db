using System.Text;
using RedisProxy.Api.Invalidation;

namespace RedisProxy.Api.Tests.Invalidation;

/// <summary>Invalidations as Redis pushes them on a RESP3 connection with tracking on.</summary>
public sealed class InvalidationPushTests
{
    private readonly List<byte[]> _keys = [];

    [Fact]
    public void Names_the_keys_written()
    {
        Assert.True(InvalidationPush.TryRead(">2\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\na\r\n$4\r\nb\r\nc\r\n"u8, _keys, out var everyKey));

        Assert.False(everyKey);
        Assert.Equal(["a", "b\r\nc"], _keys.Select(key => Encoding.UTF8.GetString(key)));
    }

    [Fact]
    public void A_null_means_every_key()
    {
        Assert.True(InvalidationPush.TryRead(">2\r\n$10\r\ninvalidate\r\n_\r\n"u8, _keys, out var everyKey));

        Assert.True(everyKey);
    }

    [Theory]
    [InlineData(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n")]
    [InlineData(">2\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\na\r\n")]
    [InlineData("*2\r\n$10\r\ninvalidate\r\n_\r\n")]
    public void Anything_else_is_not_an_invalidation(string frame) =>
        Assert.False(InvalidationPush.TryRead(Encoding.UTF8.GetBytes(frame), _keys, out _));
}
