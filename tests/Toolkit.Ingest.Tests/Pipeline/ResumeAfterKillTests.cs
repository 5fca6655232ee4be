using System.Diagnostics;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Pipeline;

/// <summary>
/// kill -9 at several moments, then a rerun, must give the same bytes as one uninterrupted run: the per-video temporary
/// folders and the manifest written after the rename are what make an interrupted run safe to resume.
/// </summary>
[Trait("Category", "Failure")]
public sealed class ResumeAfterKillTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Source => _temp.Combine("src");

    private string[] Args(string output) =>
        ["extract", Source, output, "--task", "both", "--flow", "farneback", "--short-side", "0", "--decoders", "2"];

    [Fact]
    public async Task Extract_KilledAtSeveralMomentsThenRerun_MatchesAnUninterruptedRunByteForByte()
    {
        MakeClips();
        string a = _temp.Combine("A"), b = _temp.Combine("B");
        var reference = await ToolkitCli.RunAsync(Args(a));
        Assert.True(reference.ExitCode == 0, reference.ToString());

        // Kill at: startup; a video half-written; right after a commit; later, deep into a video. Each moment is judged
        // on what this run wrote (leftovers of the previous kill don't count), so each kill lands where it is meant to.
        var moments = new (string Name, Func<Run, bool> Reached)[]
        {
            ("0.3 s after start", r => r.Clock.Elapsed >= TimeSpan.FromSeconds(0.3)),
            ("a temporary folder has a file of this run", r => OutputTree.PartialFiles(b, r.Started).Any()),
            ("a video committed by this run", r => OutputTree.Manifest(b).Count > r.Committed),
            ("a temporary folder holds 40 files of this run", r => OutputTree.PartialFiles(b, r.Started).GroupBy(Path.GetDirectoryName).Any(g => g.Count() >= 40)),
        };
        var killedWith = new List<int>();
        foreach (var (name, reached) in moments)
        {
            var run = new Run(DateTime.UtcNow, Stopwatch.StartNew(), OutputTree.Manifest(b).Count);
            using var cli = ToolkitCli.Start(Args(b));
            while (!cli.HasExited && !reached(run) && run.Clock.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(10);
            bool killed = !cli.HasExited;
            cli.Kill();
            await cli.WaitAsync(TimeSpan.FromSeconds(30));
            if (killed)
                killedWith.Add(OutputTree.Manifest(b).Count);
            AssertManifestListsOnlyCompleteVideos(b, name);
        }
        Assert.True(killedWith.Count >= 3, $"only {killedWith.Count} of {moments.Length} kills hit a running process");

        var rerun = await ToolkitCli.RunAsync(Args(b));

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Empty(OutputTree.PartialFolders(b));
        var expected = OutputTree.Hashes(a);
        Assert.Equal(4 * (48 + 2 * 47), expected.Count);
        Assert.Empty(OutputTree.Differences(expected, OutputTree.Hashes(b)));
        Assert.Equal(OutputTree.Manifest(a).Select(e => e.Output).Order(), OutputTree.Manifest(b).Select(e => e.Output).Distinct().Order());
    }

    [Fact]
    public async Task Extract_SecondRunOnCompleteOutput_SkipsEveryVideoAndTouchesNothing()
    {
        MakeClips();
        string output = _temp.Combine("out");
        var first = await ToolkitCli.RunAsync(Args(output));
        Assert.True(first.ExitCode == 0, first.ToString());
        var hashes = OutputTree.Hashes(output);
        var times = OutputTree.WriteTimes(output);
        await Task.Delay(50); // so that any rewrite would show in the modification times

        string report = _temp.Combine("second.tsv");
        var second = await ToolkitCli.RunAsync([.. Args(output), "--report", report]);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("0 converted, 4 skipped (already complete), 0 failed", second.Stdout);
        var rows = File.ReadAllLines(report).Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal("skipped", r[0]));
        Assert.All(rows, r => Assert.Equal(("48", "47"), (r[3], r[4])));
        Assert.Equal(hashes, OutputTree.Hashes(output));
        Assert.Equal(times, OutputTree.WriteTimes(output));
    }

    /// <summary>Four 160x120 clips of 48 frames in two classes: 48 RGB + 47 flow pairs each.</summary>
    private void MakeClips()
    {
        TestVideos.TestPattern(_temp.Combine("src", "pattern", "p1.mp4"), 160, 120, 48);
        TestVideos.TestPattern(_temp.Combine("src", "pattern", "p2.mp4"), 176, 128, 48);
        TestVideos.Mandelbrot(_temp.Combine("src", "fractal", "m1.mp4"), 160, 120, 48);
        TestVideos.Mandelbrot(_temp.Combine("src", "fractal", "m2.mp4"), 144, 112, 48);
    }

    /// <summary>One attempt: when it started and how many videos were committed before it.</summary>
    private sealed record Run(DateTime Started, Stopwatch Clock, int Committed);

    /// <summary>Whatever the moment of the kill, every video in the manifest is complete on disk.</summary>
    private static void AssertManifestListsOnlyCompleteVideos(string output, string moment)
    {
        foreach (var entry in OutputTree.Manifest(output))
        {
            string folder = Path.Combine(output, entry.Output);
            Assert.True(Directory.Exists(folder), $"after a kill at '{moment}': {entry.Output} is in the manifest but has no folder");
            Assert.Equal(entry.Frames, Directory.GetFiles(folder, "img_*.jpg").Length);
            Assert.Equal(entry.Flows, Directory.GetFiles(folder, "flow_x_*.jpg").Length);
            Assert.Equal(entry.Flows, Directory.GetFiles(folder, "flow_y_*.jpg").Length);
        }
    }
}
