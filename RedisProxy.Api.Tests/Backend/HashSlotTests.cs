using System.Text;
using RedisProxy.Api.Backend;

namespace RedisProxy.Api.Tests.Backend;

/// <summary>The proxy's hash slot of a key is Redis Cluster's, by the examples of the cluster specification.</summary>
public sealed class HashSlotTests
{
    [Theory]
    [InlineData("foo", 12182)]
    [InlineData("123456789", 12739)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("", 0)]
    public void Known_keys_fall_in_the_slots_redis_documents(string key, int slot) =>
        Assert.Equal(slot, HashSlot.Of(Encoding.UTF8.GetBytes(key)));

    [Theory]
    [InlineData("foo{}{bar}", "foo{}{bar}")]
    [InlineData("foo{{bar}}zap", "{bar")]
    [InlineData("foo{bar}{zap}", "bar")]
    [InlineData("{}", "{}")]
    [InlineData("a{b", "a{b")]
    public void Only_the_first_non_empty_hash_tag_is_hashed(string key, string hashed) =>
        Assert.Equal(HashSlot.Of(Encoding.UTF8.GetBytes(hashed)), HashSlot.Of(Encoding.UTF8.GetBytes(key)));
}
