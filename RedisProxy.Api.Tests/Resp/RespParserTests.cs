using System.Buffers;
using System.Text;
using RedisProxy.Api.Resp.Parser;

namespace RedisProxy.Api.Tests.Resp;

public sealed class RespParserTests
{
    private static readonly RespLimits Limits = new(MaxBulkBytes: 100, MaxMultibulkLength: 10, MaxInlineBytes: 64);

    public static TheoryData<string, string[]> WholeFrames => new()
    {
        { "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n", ["GET", "key"] },
        { "*1\r\n$4\r\nPING\r\n", ["PING"] },
        // An empty argument is a value, not a miss.
        { "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", ["ECHO", ""] },
        // Bulk payloads are binary-safe: CR, LF and '*' inside are data.
        { "*2\r\n$4\r\nECHO\r\n$6\r\na\r\n*$b\r\n", ["ECHO", "a\r\n*$b"] },
        // Redis skips *0 and *-1 as empty requests.
        { "*0\r\n", [] },
        { "*-1\r\n", [] },
        { "PING\r\n", ["PING"] },
        // Inline: a bare LF ends the line too, runs of spaces and tabs separate.
        { "GET   key\tother\n", ["GET", "key", "other"] },
        { "SET k \"hello world\"\r\n", ["SET", "k", "hello world"] },
        { "ECHO \"\"\r\n", ["ECHO", ""] },
        // Escapes inside double quotes keep the quote from closing, and are decoded as Redis decodes them.
        { "ECHO \"a\\\"b\"\r\n", ["ECHO", "a\"b"] },
        { "SET k \"c\\x41\\n\\t\\q\\\\\"\r\n", ["SET", "k", "cA\n\tq\\"] },
        // \x without two hex digits is an escaped x.
        { "ECHO \"\\x4g\"\r\n", ["ECHO", "x4g"] },
        // In single quotes only \' is an escape.
        { "ECHO 'it\\'s \\n'\r\n", ["ECHO", "it's \\n"] },
        // An empty line is skipped like in Redis.
        { "\r\n", [] },
        { "   \r\n", [] },
    };

    public static TheoryData<string, string> BadFrames => new()
    {
        // Multibulk count that is not a number.
        { "*x\r\n", "invalid multibulk length" },
        // Multibulk count above RESP_MAX_MULTIBULK_LENGTH.
        { "*11\r\n", "invalid multibulk length" },
        // A count line ending in LF only: the CR is missing.
        { "*1\n$4\r\nPING\r\n", "invalid multibulk length" },
        // CR not followed by LF.
        { "*1\rX$4\r\nPING\r\n", "invalid multibulk length" },
        // An empty count.
        { "*\r\n", "invalid multibulk length" },
        // A count of absurd length (more digits than any valid length has).
        { "*1234567890123456789\r\n", "invalid multibulk length" },
        // A plus sign is not part of a Redis length.
        { "*+1\r\n", "invalid multibulk length" },
        // An element that is not a bulk string: Redis wants '$'.
        { "*1\r\n:4\r\n", "expected '$', got ':'" },
        // A garbage, non-printable type byte.
        { "*1\r\n\u0001", "expected '$', got '\\x01'" },
        // A negative bulk length is never allowed in a request.
        { "*1\r\n$-1\r\n", "invalid bulk length" },
        // Bulk length above RESP_MAX_BULK_BYTES.
        { "*1\r\n$101\r\n", "invalid bulk length" },
        // A bulk length that is not a number.
        { "*1\r\n$abc\r\n", "invalid bulk length" },
        // Payload not followed by CRLF (the declared length is wrong).
        { "*1\r\n$3\r\nPINGX\r\n", "expected CRLF after bulk data" },
        // Payload followed by LF only.
        { "*1\r\n$4\r\nPING\n\r", "expected CRLF after bulk data" },
        // An inline line over RESP_MAX_INLINE_BYTES, complete.
        { new string('a', 65) + "\r\n", "too big inline request" },
        // Over the limit, even counting a last byte as the CR of a CRLF to come: refused without waiting for the end.
        { new string('a', 66), "too big inline request" },
        // A quote that never closes.
        { "SET k \"abc\r\n", "unbalanced quotes in request" },
        // A closing quote must be followed by a space or the end of the line.
        { "SET k \"abc\"def\r\n", "unbalanced quotes in request" },
        // Adjacent quoted strings: Redis refuses them the same way.
        { "SET k 'it''s'\r\n", "unbalanced quotes in request" },
    };

    [Theory]
    [MemberData(nameof(WholeFrames))]
    public void A_whole_frame_gives_its_arguments_and_length(string frame, string[] expected)
    {
        var bytes = Bytes(frame);
        var arguments = new RespArguments();
        Assert.Equal(RespParseStatus.Complete, RespParser.Parse(new ReadOnlySequence<byte>(bytes), Limits, arguments, out var length, out var error));
        Assert.Null(error);
        Assert.Equal(bytes.Length, length);
        arguments.Bind(bytes);
        Assert.Equal(expected, Texts(arguments));
    }

    [Theory]
    [MemberData(nameof(BadFrames))]
    public void A_malformed_frame_is_a_protocol_error_naming_the_fault(string frame, string expectedError)
    {
        Assert.Equal(RespParseStatus.ProtocolError, Parse(Bytes(frame), out _, out var error));
        Assert.Equal(expectedError, error);
    }

    [Theory]
    [MemberData(nameof(WholeFrames))]
    public void Every_strict_prefix_of_a_frame_is_incomplete_not_an_error(string frame, string[] _)
    {
        var bytes = Bytes(frame);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var status = Parse(bytes[..cut], out var needed, out var error);
            Assert.True(status == RespParseStatus.Incomplete, $"cut at {cut}: {status} {error}");
            Assert.True(needed > cut && needed <= bytes.Length, $"cut at {cut}: needs {needed}");
        }
    }

    [Fact]
    public void A_frame_split_into_segments_at_every_point_parses_the_same()
    {
        var bytes = Bytes("*3\r\n$3\r\nSET\r\n$5\r\nmykey\r\n$10\r\n0123456789\r\n");
        for (var a = 1; a < bytes.Length; a++)
        {
            for (var b = a; b < bytes.Length; b++)
            {
                var arguments = new RespArguments();
                var status = RespParser.Parse(Segments.SplitAt(bytes, a, b), Limits, arguments, out var length, out _);

                Assert.Equal(RespParseStatus.Complete, status);
                Assert.Equal(bytes.Length, length);
                arguments.Bind(bytes);
                Assert.Equal(["SET", "mykey", "0123456789"], Texts(arguments));
            }
        }
    }

    [Fact]
    public void An_inline_line_split_into_segments_parses_the_same()
    {
        var bytes = Bytes("SET key \"a b\"\r\n");
        for (var a = 1; a < bytes.Length; a++)
        {
            var arguments = new RespArguments();
            Assert.Equal(RespParseStatus.Complete, RespParser.Parse(Segments.SplitAt(bytes, a), Limits, arguments, out _, out _));
            arguments.Bind(bytes);
            Assert.Equal(["SET", "key", "a b"], Texts(arguments));
        }
    }

    [Fact]
    public void Pipelined_frames_are_taken_one_at_a_time_in_order()
    {
        var bytes = Bytes("*1\r\n$4\r\nPING\r\nECHO hi\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPI");
        var sequence = new ReadOnlySequence<byte>(bytes);
        var commands = new List<string[]>();
        var arguments = new RespArguments();
        RespParseStatus status;
        while ((status = RespParser.Parse(sequence, Limits, arguments, out var length, out _)) == RespParseStatus.Complete)
        {
            arguments.Bind(sequence.Slice(0, length).ToArray());
            commands.Add(Texts(arguments));
            sequence = sequence.Slice(length);
        }

        Assert.Equal(RespParseStatus.Incomplete, status);
        Assert.Equal([["PING"], ["ECHO", "hi"], ["GET", "k"]], commands);
        Assert.Equal("*1\r\n$4\r\nPI", Encoding.ASCII.GetString(sequence.ToArray()));
    }

    [Fact]
    public void Inside_a_bulk_payload_the_parser_says_exactly_how_many_bytes_it_needs()
    {
        var frame = Bytes("*2\r\n$4\r\nECHO\r\n$50\r\n" + new string('x', 50) + "\r\n");

        Assert.Equal(RespParseStatus.Incomplete, Parse(frame[..30], out var needed, out _));
        Assert.Equal(frame.Length, needed);
    }

    [Fact]
    public void Limits_are_inclusive_and_each_one_counts()
    {
        var largest = "*10\r\n" + string.Concat(Enumerable.Repeat("$1\r\na\r\n", 9)) + "$100\r\n" + new string('b', 100) + "\r\n";
        Assert.Equal(RespParseStatus.Complete, Parse(Bytes(largest), out _, out _));
        Assert.Equal(RespParseStatus.Complete, Parse(Bytes(new string('a', 64) + "\r\n"), out _, out _));
        Assert.Equal(RespParseStatus.Incomplete, Parse(Bytes(new string('a', 64)), out _, out _));
    }

    [Fact]
    public void A_request_larger_than_a_gibibyte_is_refused_before_its_bytes_arrive()
    {
        var limits = new RespLimits(RespLimits.MaxRequestBytes, 10, 64);
        var header = $"*2\r\n$3\r\nSET\r\n${RespLimits.MaxRequestBytes - 100}\r\n";
        Assert.Equal(RespParseStatus.Incomplete, RespParser.Parse(new ReadOnlySequence<byte>(Bytes(header)), limits, new RespArguments(), out _, out _));

        // The declared argument alone fits the bulk limit, but the frame would pass a gibibyte.
        var tooBig = $"*2\r\n$3\r\nSET\r\n${RespLimits.MaxRequestBytes}\r\n";
        Assert.Equal(RespParseStatus.ProtocolError, RespParser.Parse(new ReadOnlySequence<byte>(Bytes(tooBig)), limits, new RespArguments(), out _, out var error));
        Assert.Equal("too big request", error);
    }

    private static RespParseStatus Parse(byte[] bytes, out long length, out string? error) =>
        RespParser.Parse(new ReadOnlySequence<byte>(bytes), Limits, new RespArguments(), out length, out error);

    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    private static string[] Texts(RespArguments arguments) =>
        [.. Enumerable.Range(0, arguments.Count).Select(i => Encoding.Latin1.GetString(arguments[i]))];
}
