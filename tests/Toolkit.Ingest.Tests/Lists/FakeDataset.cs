using System.Text;
using Toolkit.Ingest.Lists.Official;
using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Lists;

/// <summary>
/// Small fake datasets in their official layouts: tiny lavfi clips (64x48, a few frames each, so each video's frame count
/// tells it apart), annotation files written as the datasets publish them, extracted with the real extract pipeline.
/// </summary>
internal static class FakeDataset
{
    /// <summary>A testsrc2 clip of <paramref name="frames"/> frames at 25 fps, 64x48, its codec chosen by the extension.</summary>
    public static void Video(string path, int frames) => TestVideos.TestPattern(path, 64, 48, frames);

    /// <summary>Extracts <paramref name="source"/> at the source size; every video must convert.</summary>
    public static async Task<string> ExtractAsync(string source, string output, int level, ExtractTask task = ExtractTask.Rgb, string? segments = null)
    {
        var summary = await ExtractPipeline.RunAsync(new ExtractOptions
        {
            Source = source,
            Output = output,
            Segments = segments,
            Workers = 2,
            Extensions = Toolkit.Ingest.Discovery.SourceDiscovery.DefaultExtensions.ToArray(),
            Settings = new ExtractSettings { ShortSide = 0, Level = level, Task = task, Flow = FlowAlgorithm.Dis },
        });
        Assert.All(summary.Results, r => Assert.True(r.Status == VideoStatus.Done, $"{r.Source}: {r.Reason}"));
        return output;
    }

    /// <summary>
    /// Makes each clip (a level-2 path under <c>videos/</c>, and its frames) and a flat copy under <c>videos-flat/</c>,
    /// then extracts the class folders at level 2 into <paramref name="level2"/> (with <paramref name="level2Task"/>)
    /// and the flat folder at level 1 into <paramref name="level1"/> (RGB).
    /// </summary>
    public static async Task ExtractBothLevelsAsync(TempDirectory temp, IEnumerable<(string Path, int Frames)> clips, string level2, string level1,
        ExtractTask level2Task = ExtractTask.Rgb)
    {
        Directory.CreateDirectory(temp.Combine("videos-flat"));
        foreach (var (path, frames) in clips)
        {
            Video(temp.Combine("videos", path), frames);
            File.Copy(temp.Combine("videos", path), temp.Combine("videos-flat", Path.GetFileName(path)));
        }
        await ExtractAsync(temp.Combine("videos"), level2, level: 2, level2Task);
        await ExtractAsync(temp.Combine("videos-flat"), level1, level: 1);
    }

    /// <summary>Writes <paramref name="lines"/> joined by <paramref name="newline"/> (with one at the end), UTF-8, optionally with a BOM.</summary>
    public static string Write(string path, IEnumerable<string> lines, string newline = "\n", bool bom = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + newline)), new UTF8Encoding(bom));
        return path;
    }

    /// <summary>Runs <c>lists --dataset</c> in process into a fresh folder and returns it with the summary.</summary>
    public static (string Folder, OfficialListSummary Summary) Lists(TempDirectory temp, OfficialListOptions options)
    {
        string folder = temp.Combine($"lists-{Guid.NewGuid():N}");
        return (folder, OfficialListBuilder.Build(options with { Output = folder }));
    }
}

/// <summary>Compares a folder of lists with the files mmaction2 writes, byte for byte.</summary>
internal static class ListAssert
{
    /// <summary>
    /// The folder holds exactly the files of <paramref name="expected"/>, each exactly its lines, every one ended by
    /// <c>\n</c> (mmaction2's <c>f.writelines(f'{...}\n')</c>), UTF-8 without a byte-order mark.
    /// </summary>
    public static void Files(string folder, IReadOnlyDictionary<string, string[]> expected)
    {
        var actual = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual);
        foreach (var (name, lines) in expected)
        {
            string text = File.ReadAllText(Path.Combine(folder, name), new UTF8Encoding(false));
            Assert.True(string.Concat(lines.Select(l => l + "\n")) == text, $"{name}: expected\n{string.Join("\n", lines)}\n--- but found ---\n{text}");
            Assert.False(File.ReadAllBytes(Path.Combine(folder, name)).AsSpan().StartsWith("\uFEFF"u8), $"{name} starts with a byte-order mark");
        }
    }

    /// <summary>Same files and the same multiset of lines in each (a shuffled list).</summary>
    public static void SameLines(string folder, IReadOnlyDictionary<string, string[]> expected)
    {
        var actual = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual);
        foreach (var (name, lines) in expected)
            Assert.Equal(lines.Order(StringComparer.Ordinal), File.ReadAllLines(Path.Combine(folder, name)).Order(StringComparer.Ordinal));
    }
}
