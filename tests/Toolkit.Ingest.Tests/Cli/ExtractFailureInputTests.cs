using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Cli;

/// <summary>
/// One source folder holding every kind of broken input next to good clips with awkward names. One bad video is a
/// reported result, never the end of the run: exit code 1, one report line each with its reason, nothing left of it.
/// </summary>
public sealed class FailureInputsFixture : IAsyncLifetime
{
    public TempDirectory Temp { get; } = new();

    public string Source => Temp.Combine("src");

    public string Output => Temp.Combine("out");

    public string Report => Temp.Combine("report.tsv");

    /// <summary>Good clip path → frames ffprobe counts.</summary>
    public Dictionary<string, int> Good { get; } = [];

    /// <summary>Bad input path → the phrase its reason must contain.</summary>
    public Dictionary<string, string> Bad { get; } = [];

    public CliResult Result { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string good = TestVideos.TestPattern(Temp.Combine("src", "mixed", "good.mp4"), 160, 120, frames: 20);
        string odd = TestVideos.Mandelbrot(Temp.Combine("src", "clips à part", "café \"déjà\" vu's.mp4"), 160, 120, frames: 12);
        foreach (string path in new[] { good, odd })
            Good[path] = TestVideos.CountFrames(path);

        string zero = Temp.Combine("src", "mixed", "zero bytes.mp4");
        File.WriteAllBytes(zero, []);
        Bad[zero] = "empty file";
        // The default MP4 muxer writes its index (moov) at the end: the first 30 % has none.
        string truncated = TestVideos.Truncated(good, Temp.Combine("src", "mixed", "truncated.mp4"), 0.3);
        Bad[truncated] = "not a readable video";
        string text = Temp.Combine("src", "mixed", "notes.mp4");
        File.WriteAllText(text, "this is not a video\n");
        Bad[text] = "not a readable video";
        Bad[TestVideos.AudioOnly(Temp.Combine("src", "mixed", "sine.mp4"))] = "no video stream";
        Bad[TestVideos.ZeroFrames(Temp.Combine("src", "mixed", "zero frames.avi"))] = "no frame could be decoded";
        File.WriteAllText(Temp.Combine("src", "mixed", "readme.txt"), "not a video extension: never looked at\n");

        Result = await ToolkitCli.RunAsync("extract", Source, Output, "--short-side", "0", "--report", Report);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The report's rows: status, source, output, frames, flows, reason.</summary>
    public List<string[]> Rows() => File.ReadAllLines(Report).Skip(1).Select(l => l.Split('\t')).ToList();
}

[Trait("Category", "Failure")]
public sealed class ExtractFailureInputTests(FailureInputsFixture run) : IClassFixture<FailureInputsFixture>
{
    [Fact]
    public void Extract_SomeInputsBroken_ExitsCompletedWithFailures()
    {
        Assert.True(run.Result.ExitCode == 1, run.Result.ToString());
        Assert.Contains($"{run.Good.Count} converted, 0 skipped (already complete), {run.Bad.Count} failed", run.Result.Stdout);
    }

    [Fact]
    public void Extract_BrokenInput_HasExactlyOneReportLineWithItsReason()
    {
        var rows = run.Rows();

        Assert.Equal(run.Good.Count + run.Bad.Count, rows.Count);
        Assert.DoesNotContain(rows, r => r[1].EndsWith("readme.txt", StringComparison.Ordinal));
        foreach (var (path, reason) in run.Bad)
        {
            var row = Assert.Single(rows, r => r[1] == path);
            Assert.Equal("failed", row[0]);
            Assert.True(row[5].Contains(reason, StringComparison.Ordinal), $"{path}: reason '{row[5]}' does not say '{reason}'");
            Assert.Contains($"FAILED: {path}: {row[5]}", run.Result.Stdout);
        }
    }

    [Fact]
    public void Extract_BrokenInput_LeavesNoOutputAndNoPartialFolder()
    {
        foreach (string path in run.Bad.Keys)
        {
            string output = Path.Combine(run.Output, "mixed", Path.GetFileNameWithoutExtension(path));
            Assert.False(Directory.Exists(output), $"{output} exists for a failed video");
        }
        Assert.Empty(OutputTree.PartialFolders(run.Output));
        Assert.Equal(["clips_à_part/café_\"déjà\"_vu's", "mixed/good"], OutputTree.VideoFolders(run.Output));
    }

    [Fact]
    public void Extract_GoodClipsWithOddNames_AreConvertedCompletely()
    {
        var rows = run.Rows();
        var manifest = OutputTree.Manifest(run.Output);

        Assert.Equal(run.Good.Count, manifest.Count);
        foreach (var (path, frames) in run.Good)
        {
            string name = SourceDiscovery.FolderName($"{Path.GetFileName(Path.GetDirectoryName(path))}/{Path.GetFileNameWithoutExtension(path)}");
            var row = Assert.Single(rows, r => r[1] == path);
            Assert.Equal(["done", path, name, frames.ToString(), "0"], row[..5]);
            Assert.Equal(Extract.Sequence("img_", 1, frames), Extract.Names(Path.Combine(run.Output, name), "*"));
            var entry = Assert.Single(manifest, e => e.Output == name);
            Assert.Equal(frames, entry.Frames);
        }
    }
}
