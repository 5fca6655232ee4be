using System.Diagnostics;
using System.Runtime.InteropServices;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Cli;

/// <summary>Ctrl+C (SIGINT) and SIGTERM stop a run cleanly: exit code 130, completed videos kept, half-written ones removed.</summary>
[Trait("Category", "Failure")]
public sealed class InterruptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(2, "SIGINT")]
    [InlineData(15, "SIGTERM")]
    public async Task Extract_SignalMidVideo_ExitsCancelledAndLeavesNothingHalfWritten(int signal, string name)
    {
        for (int i = 1; i <= 3; i++)
            TestVideos.TestPattern(_temp.Combine("src", "pattern", $"clip{i}.mp4"), 160, 120, frames: 48);
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
        Assert.All(kept, e => Assert.Equal(48 + 2 * 47, Directory.GetFiles(Path.Combine(output, e.Output)).Length));

        var rerun = await ToolkitCli.RunAsync(args);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains($"{3 - kept.Count} converted, {kept.Count} skipped", rerun.Stdout);
        Assert.Equal(["pattern/clip1", "pattern/clip2", "pattern/clip3"], OutputTree.VideoFolders(output));
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
