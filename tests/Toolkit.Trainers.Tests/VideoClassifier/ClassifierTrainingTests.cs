using System.Diagnostics;
using Toolkit.Trainers.Tests.Support;
using Xunit.Abstractions;

namespace Toolkit.Trainers.Tests.VideoClassifier;

/// <summary>The real <c>video-classifier</c> plugin, loaded by the host, trains tiny models on synthetic coloured clips.</summary>
[Trait("Category", "Integration")]
public sealed class ClassifierTrainingTests(ITestOutputHelper output)
{
    /// <summary>
    /// 2 classes, 4 videos, batch 2: chance is ln 2 = 0.69; a model that learned the colour puts p(gt) above 0.75 on
    /// average (loss &lt; 0.3, SPEC §5's progress gauge), and every validation video is right.
    /// </summary>
    [Theory]
    [InlineData("x3d-m", 4)]
    [InlineData("i3d-r50", 8)] // I3D halves time in conv1's pool and pool2: fewer than 8 frames pool to nothing
    public async Task TinyModel_OverfitsAHandfulOfClips_LossBelow0_3_ValidationTop1Is1(string model, int clipLen)
    {
        using var dir = new WorkDir();
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 2);
        string work = Path.Combine(dir.Path, "work");
        string config = SyntheticClips.Config(dir.Path, data, epochs: 8, clipLen: clipLen, trainer: ClassifierRuns.Tiny(model, extra: ", \"eval_every\": 8, \"precise_bn_batches\": 2"));
        var clock = Stopwatch.StartNew();
        var (outcome, metrics) = await ClassifierRuns.TrainAsync(config, work);
        output.WriteLine($"{model}: {clock.Elapsed.TotalSeconds:F1} s, losses {string.Join(", ", metrics.Epochs.Select(e => e.TrainLoss.ToString("F3")))}");
        Assert.Equal(8, outcome.EpochsCompleted);
        var last = outcome.Last!;
        Assert.True(last.TrainLoss < 0.3, $"{model}: final training loss {last.TrainLoss:F4} is not below 0.3 (chance 0.69): it did not overfit 4 clips; losses {string.Join(", ", metrics.Epochs.Select(e => e.TrainLoss.ToString("F3")))}");
        Assert.True(last.ValidationTop1 == 1.0, $"{model}: validation top-1 {last.ValidationTop1} on the training videos, expected 1.0");
        Assert.True(metrics.Epochs[0].TrainLoss > last.TrainLoss, $"{model}: loss did not fall ({metrics.Epochs[0].TrainLoss:F4} → {last.TrainLoss:F4})");
        foreach (string f in new[] { "iterations.csv", "epochs.csv", "metrics.json", "metrics.png" })
            Assert.True(File.Exists(Path.Combine(work, "metrics", f)), $"{model}: metrics/{f} missing in {work}");
        Assert.Equal(ClassifierRuns.CheckpointFolder(work, 8), outcome.LastCheckpoint);
        foreach (string f in new[] { "model.bin", "optimizer.bin", "state.json" })
            Assert.True(File.Exists(Path.Combine(outcome.LastCheckpoint!, f)), $"{model}: {f} missing in {outcome.LastCheckpoint}");
        Assert.Equal("epoch_0008", File.ReadAllText(Path.Combine(work, "checkpoints", "latest")).Trim());
        // keep_checkpoints defaults to 3: epochs 6, 7, 8 are kept.
        Assert.Equal("epoch_0006 epoch_0007 epoch_0008", string.Join(" ", Directory.GetDirectories(Path.Combine(work, "checkpoints")).Select(d => Path.GetFileName(d)).Order()));
    }
}
