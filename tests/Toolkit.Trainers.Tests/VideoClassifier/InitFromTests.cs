using System.Globalization;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Tests.Support;
using Toolkit.Trainers.Weights;

namespace Toolkit.Trainers.Tests.VideoClassifier;

/// <summary><c>trainer.init_from</c>: a run started from pretrained weights, through the real plugin and host.</summary>
public sealed class InitFromTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task InitFrom_ATrainedCheckpoint_OrItsMmaction2Export_StartsWithALowerLoss_AndReinitialisesAnotherHead()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 2);
        string scratch = Path.Combine(dir.Path, "scratch");
        await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 4, trainer: ClassifierRuns.Tiny("x3d-m")), scratch);
        double scratchFirst = FirstLoss(scratch);

        // The checkpoint records its model: it exports without being told what it is.
        string checkpoint = ClassifierRuns.CheckpointFolder(scratch, 4);
        Assert.Equal(new ModelSpec("x3d-m", 2) { Width = 0.25, Depth = 0.34 }, WeightExport.StoredModel(checkpoint));
        string pth = Path.Combine(dir.Path, "x3d-mm.pth");
        WeightExport.Run(checkpoint, pth, ExportFormat.PyTorch, WeightSource.Mmaction2, model: null, overwrite: false);

        foreach (var (init, format) in new[] { (checkpoint, "auto"), (pth, "mmaction2") })
        {
            string work = Path.Combine(dir.Path, $"init-{format}");
            var log = new OnCheckpoint();
            string trainer = ClassifierRuns.Tiny("x3d-m", extra: $", \"init_from\": \"{init}\", \"init_format\": \"{format}\"");
            await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: trainer), work, display: log);
            Assert.Contains(log.Messages, m => m.StartsWith($"initialised from {init}", StringComparison.Ordinal));
            double first = FirstLoss(work);
            Assert.True(first < scratchFirst, string.Create(CultureInfo.InvariantCulture, $"from {init}: first-epoch loss {first:F4} is not below scratch's {scratchFirst:F4}"));
        }

        // Three classes where the checkpoint has two: the backbone loads, the classifier starts afresh (and the log says so).
        var three = SyntheticClips.Write(Path.Combine(dir.Path, "three"), classes: 3, perClass: 1);
        var reinit = new OnCheckpoint();
        await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, three, epochs: 1, trainer: ClassifierRuns.Tiny("x3d-m", extra: $", \"init_from\": \"{pth}\"")),
            Path.Combine(dir.Path, "three-work"), display: reinit);
        Assert.Contains(reinit.Messages, m => m == "classifier re-initialised: the checkpoint has 2 classes, the data 3");
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void InitFrom_WeightsOfAnotherArchitecture_TrainDoesNotStart_NamingTheFile()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string zoo = Weights.WeightFixtures.Zoo("mm_x3d.pth");
        string config = SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: ClassifierRuns.Tiny("i3d-r50", extra: $", \"init_from\": \"{zoo}\""));
        var r = ToolkitCli.Run("train", "--config", config, "--work-dir", Path.Combine(dir.Path, "work"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("trainer.init_from", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("mm_x3d.pth", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "work", "checkpoints")), r.ToString());
    }

    private static double FirstLoss(string work) => ClassifierRuns.SavedEpochs(work)[0].GetProperty("train_loss").GetDouble();
}
