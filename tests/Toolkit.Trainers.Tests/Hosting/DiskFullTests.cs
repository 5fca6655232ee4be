using Toolkit.Core;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Hosting;

/// <summary>A full disk while the metrics are written: one error naming the file, no temporary leftovers, checkpoints kept (issue 20, item 9).</summary>
public sealed class DiskFullTests
{
    [MountFact]
    [Trait("Category", "Failure")]
    public async Task DiskFullWhileWritingMetrics_OneErrorNamingTheFile_NoTmpLeft_CheckpointKept()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        Directory.CreateDirectory(work);
        Assert.Null(Mounts.Tmpfs(work, "16m"));
        try
        {
            // Once the first checkpoint is written, fill the file system: the epoch's metrics, written next, find no room.
            var fill = new OnCheckpoint(_ => Fill(Path.Combine(work, "filler")));
            var config = SyntheticClips.Config(dir.Path, data, epochs: 3, trainer: ClassifierRuns.Tiny("x3d-m"));
            var e = await Assert.ThrowsAsync<ToolkitError>(() => ClassifierRuns.TrainAsync(config, work, display: fill));
            Assert.Contains(Path.Combine(work, "metrics"), e.Message, StringComparison.Ordinal);
            Assert.Contains("the training metrics cannot be written", e.Message, StringComparison.Ordinal);
            Assert.Contains("free space", e.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(Path.Combine(work, "metrics"), "*.tmp"));
            Assert.True(File.Exists(Path.Combine(ClassifierRuns.CheckpointFolder(work, 1), "state.json")));
        }
        finally
        {
            Mounts.Unmount(work);
        }
    }

    private static void Fill(string path)
    {
        var block = new byte[1 << 16];
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }
}
