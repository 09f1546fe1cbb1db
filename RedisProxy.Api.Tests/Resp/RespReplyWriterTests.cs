using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using RedisProxy.Api.Resp;

namespace RedisProxy.Api.Tests.Resp;

public sealed class RespReplyWriterTests
{
    [Theory]
    [InlineData(2, "$-1\r\n")]
    [InlineData(3, "_\r\n")]
    public void Null_depends_on_the_protocol(int protocol, string expected) =>
        Assert.Equal(expected, Write(w => w.WriteNull(), protocol));

    [Theory]
    [InlineData(2, "*4\r\n")]
    [InlineData(3, "%2\r\n")]
    public void A_map_is_a_flat_array_in_resp2(int protocol, string expected) =>
        Assert.Equal(expected, Write(w => w.WriteMapHeader(2), protocol));

    [Fact]
    public void Bulk_values_are_binary_safe_and_length_prefixed()
    {
        Assert.Equal("$5\r\na\r\nb\0\r\n", Write(w => w.WriteBulk("a\r\nb\0"u8)));
        Assert.Equal("$0\r\n\r\n", Write(w => w.WriteBulk(ReadOnlySpan<byte>.Empty)));
        Assert.Equal("$2\r\n\u00c3\u00a9\r\n", Write(w => w.WriteBulk("é")));
    }

    [Fact]
    public void Integers_cover_the_whole_range()
    {
        Assert.Equal(":-9223372036854775808\r\n", Write(w => w.WriteInteger(long.MinValue)));
        Assert.Equal(":0\r\n", Write(w => w.WriteInteger(0)));
    }

    [Fact]
    public void Line_breaks_in_an_error_message_become_spaces_so_the_reply_stays_one_line() =>
        Assert.Equal("-ERR a  b\r\n", Write(w => w.WriteError("ERR a\r\nb")));

    [Fact]
    public void Replies_longer_than_a_piece_of_pipe_memory_arrive_whole_and_in_order()
    {
        // A pipe hands out memory in pieces of about 4 KB: these replies cross many piece boundaries, at every offset.
        var big = new byte[10_000];
        Random.Shared.NextBytes(big);
        var expected = new StringBuilder();
        var written = Write(w =>
        {
            for (var i = 0; i < 500; i++)
            {
                w.WriteInteger(i);
                w.WriteBulk(big.AsSpan(0, i * 17));
                w.WriteError($"ERR {new string('e', i)}");
            }
        });
        for (var i = 0; i < 500; i++)
        {
            expected.Append(CultureInfo.InvariantCulture, $":{i}\r\n${i * 17}\r\n").Append(Encoding.Latin1.GetString(big, 0, i * 17)).Append("\r\n")
                .Append(CultureInfo.InvariantCulture, $"-ERR {new string('e', i)}\r\n");
        }

        Assert.Equal(expected.ToString(), written);
    }

    [Fact]
    public async Task A_flush_sends_everything_written_so_far()
    {
        var pipe = new Pipe();
        var writer = new RespReplyWriter(pipe.Writer);
        writer.WriteBulk("first"u8);
        await writer.FlushAsync(CancellationToken.None);
        var first = await pipe.Reader.ReadAsync();
        Assert.Equal("$5\r\nfirst\r\n", Encoding.Latin1.GetString(first.Buffer.ToArray()));
        pipe.Reader.AdvanceTo(first.Buffer.End);

        writer.WriteInteger(2);
        Assert.Equal(4, writer.UnflushedBytes);
        await writer.FlushAsync(CancellationToken.None);
        var second = await pipe.Reader.ReadAsync();
        Assert.Equal(":2\r\n", Encoding.Latin1.GetString(second.Buffer.ToArray()));
    }

    private static string Write(Action<RespReplyWriter> write, int protocol = 2)
    {
        var pipe = new Pipe();
        var writer = new RespReplyWriter(pipe.Writer) { Protocol = protocol };
        write(writer);
        writer.Commit();
        pipe.Writer.Complete();
        pipe.Reader.TryRead(out var result);
        return Encoding.Latin1.GetString(result.Buffer.ToArray());
    }
}
