using System.Diagnostics;
using System.Runtime.InteropServices;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Output;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Cli;

/// <summary>Ctrl+C (SIGINT) and SIGTERM stop a run cleanly: exit code 130, completed videos kept, half-written ones removed.</summary>
[Trait("Category", "Failure")]
public sealed class InterruptTests : IDisposable
{
    // Long enough that a run is still writing when the signal comes, on a fast machine too and when the test's own polling
    // lags under a loaded test run (48 frames took 1 s; with 120, three videos once finished in 2.2 s, before the signal
    // sent after the first video's tenth file was handled).
    private const int Frames = 300;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(2, "SIGINT")]
    [InlineData(15, "SIGTERM")]
    public async Task Extract_SignalMidVideo_ExitsCancelledAndLeavesNothingHalfWritten(int signal, string name)
    {
        for (int i = 1; i <= 3; i++)
            TestVideos.TestPattern(_temp.Combine("src", "pattern", $"clip{i}.mp4"), 160, 120, frames: Frames);
        string output = _temp.Combine("out");
        string[] args = ["extract", _temp.Combine("src"), output, "--task", "both", "--flow", "farneback", "--short-side", "0", "--decoders", "1"];

        using var cli = ToolkitCli.Start(args);
        var clock = Stopwatch.StartNew();
        while (!cli.HasExited && !OutputTree.PartialFiles(output).GroupBy(Path.GetDirectoryName).Any(g => g.Count() >= 10)
               && clock.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(10);
        Assert.False(cli.HasExited, "the run ended before a video was half-written; nothing to interrupt");
        Assert.Equal(0, Kill(cli.Id, signal));
        var result = await cli.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 130, $"{name}: {result}");
        Assert.Contains("interrupted", result.Stderr);
        Assert.Empty(OutputTree.PartialFolders(output));
        var kept = OutputTree.Manifest(output);
        Assert.Equal(kept.Select(e => e.Output).Order(), OutputTree.VideoFolders(output));
        Assert.All(kept, e => Assert.Equal(Frames + 2 * (Frames - 1), Directory.GetFiles(Path.Combine(output, e.Output)).Length));

        var rerun = await ToolkitCli.RunAsync(args);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains($"{3 - kept.Count} converted, {kept.Count} skipped", rerun.Stdout);
        Assert.Equal(["pattern/clip1", "pattern/clip2", "pattern/clip3"], OutputTree.VideoFolders(output));
    }

    [Theory]
    [InlineData("extract")]
    [InlineData("lists")]
    public async Task SignalWhileTheInputIsAPipeWithNothingWritten_ExitsCancelledAtOnce(string command)
    {
        // A list that is a pipe (mkfifo, or bash's <(find ...)) blocks its reader inside a system call: the interrupt must
        // still end the run (issue 20, item 7). extract observes the token; lists is synchronous and exits on the signal.
        string fifo = _temp.Combine("videos.txt");
        Assert.Equal(0, MakeFifo(fifo, Convert.ToInt32("600", 8)));
        string output = _temp.Combine("out");
        string[] args = command == "extract"
            ? ["extract", fifo, output]
            : ["lists", Extracted(), "--csv", fifo, "--out", _temp.Combine("lists")];

        using var cli = ToolkitCli.Start(args);
        // Opening the writer end returns once the toolkit has opened the reader end: it is now blocked reading.
        await using var writer = await Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write)).WaitAsync(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Kill(cli.Id, 15));
        var result = await cli.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed} to stop");
        Assert.Contains("interrupted", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(Directory.Exists(_temp.Combine("lists")));
    }

    [Fact]
    public async Task Extract_SecondSignalWhileStopping_ExitsCancelledAtOnce_AndTheNextRunFinishesTheWork()
    {
        for (int i = 1; i <= 2; i++)
            TestVideos.TestPattern(_temp.Combine("src", "pattern", $"clip{i}.mp4"), 160, 120, frames: Frames);
        string output = _temp.Combine("out");
        string[] args = ["extract", _temp.Combine("src"), output, "--task", "both", "--flow", "farneback", "--short-side", "0", "--decoders", "1"];

        using var cli = ToolkitCli.Start(args);
        var clock = Stopwatch.StartNew();
        while (!cli.HasExited && !OutputTree.PartialFiles(output).Any() && clock.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(10);
        Assert.False(cli.HasExited, "the run ended before a video was started; nothing to interrupt");
        Assert.Equal(0, Kill(cli.Id, 2));
        Assert.Equal(0, Kill(cli.Id, 2));
        var result = await cli.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 130, result.ToString()); // was 134: System.CommandLine threw on the second signal
        Assert.DoesNotContain("Exception", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);

        var rerun = await ToolkitCli.RunAsync(args);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(["pattern/clip1", "pattern/clip2"], OutputTree.VideoFolders(output));
        Assert.Empty(OutputTree.PartialFolders(output));
        Assert.All(OutputTree.VideoFolders(output), f => Assert.Equal(Frames + 2 * (Frames - 1), Directory.GetFiles(Path.Combine(output, f)).Length));
    }

    /// <summary>A small finished extract output (one video of one frame), for commands that read one.</summary>
    private string Extracted()
    {
        string output = _temp.Combine("extracted");
        using var store = OutputStore.Open(output, new ExtractSettings(), ShardSpec.Single, force: false);
        string temp = store.BeginVideo("walk/a");
        File.WriteAllBytes(Path.Combine(temp, "img_00001.jpg"), [0xFF, 0xD8]);
        store.Commit(temp, new ManifestEntry { Output = "walk/a", Source = "walk/a.mp4", SourcePath = "/walk/a.mp4", Settings = store.SettingsHash, Frames = 1, Class = "walk" });
        return output;
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, int mode);

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
