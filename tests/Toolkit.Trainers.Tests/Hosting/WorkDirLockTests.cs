using System.Diagnostics;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Hosting;

/// <summary>One training run per work dir: a second one is refused naming the holder, a killed run's lock is taken over.</summary>
public sealed class WorkDirLockTests
{
    [Fact]
    [Trait("Category", "Failure")]
    public void SecondTrainOnAHeldWorkDir_Exits2_NamingTheHoldersPid_AndTouchesNothing()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string config = SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: ClassifierRuns.Tiny("x3d-m"));
        string work = Path.Combine(dir.Path, "work");
        using (WorkDirLock.Acquire(work))
        {
            var r = ToolkitCli.Run("train", "--config", config, "--work-dir", work);
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains($"another toolkit train is using this work dir (pid {Environment.ProcessId}", r.Stderr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(work, "checkpoints")), r.ToString());
            Assert.False(Directory.Exists(Path.Combine(work, "metrics")), r.ToString());
        }
        var after = ToolkitCli.Run("train", "--config", config, "--work-dir", work);
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void KilledRun_ItsLockIsTakenOver_AndTheNextRunResumes()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string config = SyntheticClips.Config(dir.Path, data, epochs: 400, trainer: ClassifierRuns.Tiny("x3d-m"));
        string work = Path.Combine(dir.Path, "work");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "toolkit"), ["train", "--config", config, "--work-dir", work])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CI"] = "1";
        start.Environment.Remove("TOOLKIT_PLUGINS");
        using (var first = Process.Start(start)!)
        {
            _ = first.StandardOutput.ReadToEndAsync();
            _ = first.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(work, "checkpoints", "latest")) && clock.Elapsed < TimeSpan.FromMinutes(1) && !first.HasExited)
                Thread.Sleep(50);
            Assert.False(first.HasExited, "the long run ended before it could be killed");
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }
        Assert.True(File.Exists(Path.Combine(work, WorkDirLock.LockFileName)));
        string again = SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: ClassifierRuns.Tiny("x3d-m"));
        var r = ToolkitCli.Run("train", "--config", again, "--work-dir", work);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("resumed from", r.Stdout, StringComparison.Ordinal);
    }
}
