using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Hosting;

/// <summary>The built-in trainer through the host with the real loaders on synthetic rawframes.</summary>
[Trait("Category", "Integration")]
public sealed class VideoClassifierRunTests
{
    [Fact]
    public async Task RunAsync_NoValidationSet_WritesTheCheckpoint()
    {
        // Without data.val there is no val_top1; the checkpoint's state (JSON, no NaN) used to fail to serialize.
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 2);
        string path = SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: """{"model": "x3d-m", "width": 0.125, "depth": 0.34}""");
        File.WriteAllText(path, File.ReadAllText(path).Replace($"\"val\": \"{data.Val}\", ", "", StringComparison.Ordinal));
        var config = TrainingConfig.Load(path);
        Assert.Null(config.Data.Val);
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        string work = Path.Combine(dir.Path, "work");
        var (outcome, _) = await TrainingRun.RunAsync(catalog.Get("video-classifier"), new TrainingRunOptions { Config = config, WorkDir = work }, CancellationToken.None);
        Assert.Equal(1, outcome.EpochsCompleted);
        Assert.NotNull(outcome.LastCheckpoint);
        Assert.True(Directory.Exists(outcome.LastCheckpoint));
        Assert.Null(outcome.Last!.ValidationTop1);
    }
}
