using System.Text;
using RedisProxy.Api.Http;

namespace RedisProxy.Api.Tests.Http;

public sealed class KeyPathTests
{
    [Theory]
    [InlineData("/user:1000", "user:1000")]
    [InlineData("/user%3A1000", "user:1000")]
    [InlineData("/a%2Fb", "a/b")]
    [InlineData("/a/b", "a/b")]
    [InlineData("/a%2fb", "a/b")]
    [InlineData("/sp%20ace?x=1", "sp ace")]
    [InlineData("/caf%C3%A9", "café")]
    [InlineData("/café", "café")]
    [InlineData("/%25", "%")]
    [InlineData("http://host:80/k?q", "k")]
    public void Decodes_the_path_into_key_bytes(string target, string expected)
    {
        Assert.Equal(KeyPath.Outcome.Key, Decode(target, 100, out var key));
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/?q=1")]
    [InlineData("")]
    public void An_empty_key_is_reported(string target) => Assert.Equal(KeyPath.Outcome.Empty, Decode(target, 100, out _));

    [Theory]
    [InlineData("/%")] // nothing after the percent sign
    [InlineData("/%4")] // one hex digit only
    [InlineData("/%zz")] // not hex
    [InlineData("/ok%g1")] // half hex
    public void Invalid_percent_encoding_is_reported(string target) => Assert.Equal(KeyPath.Outcome.InvalidEncoding, Decode(target, 100, out _));

    [Fact]
    public void A_key_is_limited_by_its_decoded_length()
    {
        Assert.Equal(KeyPath.Outcome.Key, Decode("/" + new string('a', 8), 8, out _));
        Assert.Equal(KeyPath.Outcome.TooLong, Decode("/" + new string('a', 9), 8, out _));
        Assert.Equal(KeyPath.Outcome.Key, Decode("/" + string.Concat(Enumerable.Repeat("%41", 8)), 8, out _));
        Assert.Equal(KeyPath.Outcome.TooLong, Decode("/" + new string('é', 5), 8, out _));
    }

    [Fact]
    public void A_long_non_ascii_run_past_the_limit_is_too_long_not_an_overflow()
    {
        // Sized as the front door sizes it: a few bytes over the limit, not the run's whole length.
        var path = KeyPath.PathOf("/" + new string('a', 7) + new string('é', 10));
        var buffer = new byte[Math.Min(KeyPath.MaxDecodedLength(path), 8 + 4)];

        Assert.Equal(KeyPath.Outcome.TooLong, KeyPath.Decode(path, buffer, 8, out _));
    }

    [Fact]
    public void Percent_encoded_bytes_need_not_be_utf8()
    {
        var path = KeyPath.PathOf("/%FF%00x");
        var buffer = new byte[KeyPath.MaxDecodedLength(path)];
        Assert.Equal(KeyPath.Outcome.Key, KeyPath.Decode(path, buffer, 100, out var written));
        Assert.Equal(new byte[] { 0xff, 0x00, (byte)'x' }, buffer[..written]);
    }

    private static KeyPath.Outcome Decode(string target, int max, out string key)
    {
        var path = KeyPath.PathOf(target);
        var buffer = new byte[KeyPath.MaxDecodedLength(path) + 8];
        var outcome = KeyPath.Decode(path, buffer, max, out var written);
        key = Encoding.UTF8.GetString(buffer, 0, written);
        return outcome;
    }
}
