using System.Text;
using RedisProxy.Api.Http;

namespace RedisProxy.Api.Tests.Http;

public sealed class BatchKeysTests
{
    [Theory]
    [InlineData("/?keys=a", new[] { "a" })]
    [InlineData("/?keys=a,b,c", new[] { "a", "b", "c" })]
    [InlineData("/?keys=a%2Cb,c", new[] { "a,b", "c" })] // %2C is a comma inside a key
    [InlineData("/?keys=a%2Fb", new[] { "a/b" })]
    [InlineData("/?keys=a+b,a%2Bb", new[] { "a b", "a+b" })] // + is a space in a query; %2B a plus
    [InlineData("/?keys=caf%C3%A9,café", new[] { "café", "café" })]
    [InlineData("/?keys=a,b&keys=c", new[] { "a", "b", "c" })] // repeated parameters add up
    [InlineData("/?x=1&keys=a&y=2", new[] { "a" })]
    [InlineData("/?keys=a,a", new[] { "a", "a" })] // duplicates are kept, answered in place
    public void Splits_on_literal_commas_then_decodes_each_item(string target, string[] expected)
    {
        var keys = new List<ReadOnlyMemory<byte>>();

        Assert.Equal(BatchKeys.Outcome.Keys, BatchKeys.Parse(target, 100, keys));
        Assert.Equal(expected, keys.Select(key => Encoding.UTF8.GetString(key.Span)));
    }

    [Theory]
    [InlineData("/")] // no query
    [InlineData("/?other=a,b")] // no keys parameter
    [InlineData("/?keysx=a")] // a longer name is another parameter
    public void Without_a_keys_parameter_it_is_no_batch(string target) =>
        Assert.Equal(BatchKeys.Outcome.NotBatch, BatchKeys.Parse(target, 100, []));

    [Theory]
    [InlineData("/?keys=", nameof(BatchKeys.Outcome.EmptyKey))]
    [InlineData("/?keys", nameof(BatchKeys.Outcome.EmptyKey))]
    [InlineData("/?keys=a,,b", nameof(BatchKeys.Outcome.EmptyKey))]
    [InlineData("/?keys=a,", nameof(BatchKeys.Outcome.EmptyKey))] // a trailing comma lists an empty key
    [InlineData("/?keys=a%zz", nameof(BatchKeys.Outcome.InvalidEncoding))] // not hex
    [InlineData("/?keys=a%2", nameof(BatchKeys.Outcome.InvalidEncoding))] // cut short
    [InlineData("/?keys=a%", nameof(BatchKeys.Outcome.InvalidEncoding))]
    [InlineData("/?keys=12345", nameof(BatchKeys.Outcome.TooLong))] // one byte over the limit of 4
    [InlineData("/?keys=ab,%C3%A9%C3%A9%C3%A9", nameof(BatchKeys.Outcome.TooLong))] // six bytes once decoded
    public void A_malformed_list_is_reported(string target, string expected) =>
        Assert.Equal(Enum.Parse<BatchKeys.Outcome>(expected), BatchKeys.Parse(target, 4, []));

    [Fact]
    public void Any_byte_can_be_sent_percent_encoded()
    {
        var keys = new List<ReadOnlyMemory<byte>>();

        BatchKeys.Parse("/?keys=%FF%00,%80", 100, keys);

        Assert.Equal([[0xff, 0x00], [0x80]], keys.Select(key => key.ToArray()));
    }
}
