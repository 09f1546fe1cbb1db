using System.Buffers;
using System.Text;
using RedisProxy.Api.Resp.Parser;

namespace RedisProxy.Api.Tests.Resp;

/// <summary>
/// Thousands of random and mutated frames, from a fixed seed: the parser must never throw, whatever it accepts
/// must lie inside the buffer it was given, and split into segments a frame must parse exactly as it does whole (the
/// parser reads a frame in one span when it can, across segments when it must).
/// </summary>
public sealed class RespParserFuzzTests
{
    private const int Rounds = 20_000;
    private static readonly RespLimits Limits = new(MaxBulkBytes: 4096, MaxMultibulkLength: 64, MaxInlineBytes: 256);

    private static readonly string[] Seeds =
    [
        "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n",
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n",
        "*1\r\n$4\r\nPING\r\n",
        "PING\r\n",
        "SET k \"a b\" 'c'\r\n",
        "*0\r\n",
        "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
    ];

    [Fact]
    public void Random_and_mutated_frames_never_throw_and_never_point_outside_the_buffer()
    {
        var random = new Random(20240611);
        var outcomes = new Dictionary<RespParseStatus, int>();
        for (var round = 0; round < Rounds; round++)
        {
            var bytes = round % 4 == 0 ? RandomBytes(random) : RespFrameMutator.Mutate(random, Encoding.ASCII.GetBytes(Seeds[random.Next(Seeds.Length)]), minEdits: 1, maxEdits: 3);
            var splits = Enumerable.Range(0, random.Next(3)).Select(_ => random.Next(bytes.Length + 1)).Order().ToArray();
            var sequence = Segments.SplitAt(bytes, splits);
            var arguments = new RespArguments();

            var status = RespParser.Parse(sequence, Limits, arguments, out var length, out var error);

            var whole = new RespArguments();
            Assert.Equal(
                (RespParser.Parse(new ReadOnlySequence<byte>(bytes), Limits, whole, out var wholeLength, out var wholeError), wholeLength, wholeError, Slices(whole)),
                (status, length, error, Slices(arguments)));
            outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
            switch (status)
            {
                case RespParseStatus.Complete:
                    Assert.InRange(length, 1, bytes.Length);
                    for (var i = 0; i < arguments.Count; i++)
                    {
                        var (start, count) = arguments.SliceOf(i);
                        Assert.InRange(start, 0, length);
                        Assert.InRange(start + count, start, length);
                    }

                    break;
                case RespParseStatus.Incomplete:
                    Assert.True(length > bytes.Length, $"round {round}: incomplete but needs only {length} of {bytes.Length}");
                    Assert.Equal(0, arguments.Count);
                    break;
                default:
                    Assert.False(string.IsNullOrEmpty(error));
                    break;
            }
        }

        // The corpus reaches every outcome, so the assertions above are exercised for each.
        Assert.All(Enum.GetValues<RespParseStatus>(), s => Assert.True(outcomes.GetValueOrDefault(s) > 100, $"{s}: {outcomes.GetValueOrDefault(s)}"));
    }

    private static string Slices(RespArguments arguments) =>
        string.Join(' ', Enumerable.Range(0, arguments.Count).Select(i => arguments.SliceOf(i)));

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 64)];
        random.NextBytes(bytes);
        if (random.Next(2) == 0)
        {
            bytes[0] = (byte)'*';
        }

        return bytes;
    }
}
