using System.Text;
using RedisProxy.SystemTests.Infrastructure;

namespace RedisProxy.SystemTests.Resp;

/// <summary>
/// Thousands of random and mutated frames on fresh connections, from a fixed seed and bounded in count: afterwards
/// the process still answers PING on both doors and holds no leftover connections.
/// </summary>
[Collection(DefaultProxyCollection.Name)]
public sealed class RespFuzzTests(DefaultProxyApp proxy)
{
    private const int Connections = 400;
    private const int FramesPerConnection = 10;

    private static readonly string[] Seeds =
    [
        "*2\r\n$3\r\nGET\r\n$8\r\nfuzz-key\r\n",
        "*3\r\n$4\r\nMGET\r\n$6\r\nfuzz-a\r\n$6\r\nfuzz-b\r\n",
        "*2\r\n$6\r\nEXISTS\r\n$6\r\nfuzz-a\r\n",
        "*1\r\n$4\r\nPING\r\n",
        "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n",
        "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n",
        "PING\r\n",
        "GET \"fuzz key\"\r\n",
        "CLIENT SETNAME fuzzer\r\n",
        "INFO stats\r\n",
    ];

    [Fact]
    public async Task Random_and_mutated_frames_never_take_the_server_down()
    {
        var before = await proxy.InfoFieldAsync("proxy_connected_clients");
        var accepted = await proxy.InfoFieldAsync("proxy_total_connections_received");
        var random = new Random(61_311);
        var sessions = Enumerable.Range(0, Connections)
            .Select(_ => Enumerable.Range(0, FramesPerConnection).Select(_ => Frame(random)).SelectMany(f => f).ToArray())
            .ToArray();

        // A few connections at a time; each sends its frames in one go and hangs up, read or not.
        await Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (bytes, _) =>
        {
            await using var raw = await RawResp.OpenAsync(proxy.RespEndpoint);
            await raw.SendAsync(bytes);
        });

        await using var newcomer = await RawResp.OpenAsync(proxy.RespEndpoint);
        Assert.Equal("+PONG\r\n", await newcomer.CallAsync("PING\r\n"));
        Assert.Equal("""{"ping":"OK","status_code":200}""", await proxy.Http.GetStringAsync("/ping"));
        await Eventually.MatchesAsync(() => proxy.InfoFieldAsync("proxy_connected_clients"), n => n == before + 1, TimeSpan.FromSeconds(20), "the fuzzing connections to be gone");
        // Every fuzzing connection reached the proxy itself, not just the AppHost's port forwarder.
        Assert.True(await proxy.InfoFieldAsync("proxy_total_connections_received") > accepted + Connections);
    }

    private static byte[] Frame(Random random)
    {
        if (random.Next(5) == 0)
        {
            var noise = new byte[random.Next(1, 48)];
            random.NextBytes(noise);
            return noise;
        }

        return RespFrameMutator.Mutate(random, Encoding.ASCII.GetBytes(Seeds[random.Next(Seeds.Length)]), minEdits: 0, maxEdits: 2);
    }
}
