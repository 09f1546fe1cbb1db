using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace RedisProxy.Api.Tests;

/// <summary>
/// The folders of RedisProxy.Api are layers: a folder uses only folders of lower layers, so there is no cycle and each
/// invariant's owner can be found from the tree. Read from the sources, where a reference is a <c>using</c>, a
/// qualified name or a <c>cref</c>.
/// </summary>
public sealed class FolderLayeringTests
{
    /// <summary>Each folder's layer; a folder may reference folders of lower layers only.</summary>
    private static readonly Dictionary<string, int> Layers = new()
    {
        ["Configuration"] = 0,
        ["Failures"] = 0,
        ["Caching"] = 0,
        ["Commands"] = 0,
        ["Telemetry"] = 0,
        ["Security"] = 1,
        ["Backend"] = 1,
        ["Core"] = 2,
        ["Invalidation"] = 3,
        ["Http"] = 4,
        ["Resp"] = 4,
        ["Status"] = 4,
        ["OpenApi"] = 4,
        ["Hosting"] = 5,
    };

    [Fact]
    public void Every_folder_has_a_layer()
    {
        var folders = Directory.GetDirectories(SourceRoot())
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "Properties"))
            .Order();

        Assert.Equal(Layers.Keys.Order(), folders);
    }

    [Fact]
    public void A_folder_references_only_folders_of_lower_layers()
    {
        var violations = new List<string>();
        foreach (var (folder, layer) in Layers)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(SourceRoot(), folder), "*.cs", SearchOption.AllDirectories))
            {
                var source = File.ReadAllText(file);
                foreach (var (other, otherLayer) in Layers)
                {
                    if (other != folder && otherLayer >= layer && References(source, other))
                    {
                        violations.Add($"{folder}/{Path.GetFileName(file)} uses {other} (layer {otherLayer} >= {layer})");
                    }
                }
            }
        }

        Assert.Empty(violations);
    }

    private static bool References(string source, string folder) =>
        source.Contains($"RedisProxy.Api.{folder}.", StringComparison.Ordinal)
        || source.Contains($"RedisProxy.Api.{folder};", StringComparison.Ordinal)
        || Regex.IsMatch(source, $@"(?<![\w.]){folder}\.[A-Z]");

    private static string SourceRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "RedisProxy.Api"));
}
