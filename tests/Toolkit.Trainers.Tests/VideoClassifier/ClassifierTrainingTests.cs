using System.Diagnostics;
using Toolkit.Loaders.Multigrid;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Hosting;
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
        using var dir = new TempDirectory("toolkit-trainers-");
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

    [Fact]
    public async Task DeiTTiny_OnFramesAveragedOverTime_TrainsWithFiniteLosses()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 2);
        string work = Path.Combine(dir.Path, "work");
        // Crop 32, patch 16: 4 tokens per frame; FrameAveraging runs the image model on N·T frames.
        string config = SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: ClassifierRuns.Tiny("deit-ti", lr: 1e-3));
        var (outcome, metrics) = await ClassifierRuns.TrainAsync(config, work);
        Assert.Equal(2, outcome.EpochsCompleted);
        Assert.Equal(4, metrics.Iterations.Count);
        Assert.All(metrics.Iterations, m => Assert.True(double.IsFinite(m.Loss) && m.Loss > 0, $"deit-ti: loss {m.Loss} at step {m.Step}"));
        Assert.All(metrics.Iterations, m => Assert.True(double.IsFinite(m.GradNorm) && m.GradNorm > 0, $"deit-ti: grad norm {m.GradNorm} at step {m.Step} (no gradient reached the parameters)"));
        Assert.True(outcome.Last!.ValidationLoss is { } v && double.IsFinite(v), $"deit-ti: validation loss {outcome.Last.ValidationLoss}");
        Assert.True(File.Exists(Path.Combine(outcome.LastCheckpoint!, "model.bin")));
    }

    /// <summary>
    /// Short cycle alone, base batch 2, crop 32: iterations cycle through (batch 8, crop 16), (4, 23), (2, 32), so 14
    /// videos make one cycle per epoch. bn_base_size 1: per-GPU batch 2 / 1 → sub-batch norm with 2 splits. Steps [0, 1],
    /// max_epoch 2 → 3 epochs (× epoch factor 1.5), relative LR 1 then γ = 0.1.
    /// </summary>
    [Fact]
    public async Task Multigrid_ShortCycleWithSubBatchNorm_Trains_AndTheLrIsTheScheduleTimesTheBaseLr()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 7);
        string work = Path.Combine(dir.Path, "work");
        const double lr = 2e-3;
        string config = SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: ClassifierRuns.Tiny("x3d-m", lr: lr), batch: 2,
            extraData: """, "multigrid": {"long_cycle": false, "short_cycle": true, "steps": [0, 1], "max_epoch": 2, "gamma": 0.1, "bn_base_size": 1}""");
        ITrainingSchedule? schedule = null;
        MultigridSchedule? multigrid = null;
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        var (outcome, metrics) = await TrainingRun.RunAsync(catalog.Get("video-classifier"), new TrainingRunOptions
        {
            Config = TrainingConfig.Load(config),
            WorkDir = work,
            OnStart = (d, s) => (schedule, multigrid) = (s, ((LoaderTrainingData)d).Multigrid),
        }, CancellationToken.None);
        Assert.NotNull(schedule);
        Assert.NotNull(multigrid);
        Assert.True(schedule.ReplacesLrSchedule);
        Assert.Equal(3, schedule.Epochs);
        Assert.Equal(3, outcome.EpochsCompleted);
        for (int e = 0; e < 3; e++)
            Assert.Equal(new BatchNormChoice(BatchNormKind.SubBatchNorm, 2, 1), multigrid.BatchNorm(e));
        Assert.Equal([1.0, 0.1, 0.1], Enumerable.Range(0, 3).Select(schedule.RelativeLearningRate));
        Assert.Equal(9, metrics.Iterations.Count);
        Assert.Equal([8, 4, 2, 8, 4, 2, 8, 4, 2], metrics.Iterations.Select(m => m.BatchSize));
        foreach (var m in metrics.Iterations)
        {
            Assert.True(double.IsFinite(m.Loss) && m.Loss > 0, $"multigrid: loss {m.Loss} at step {m.Step}");
            double expected = lr * schedule.RelativeLearningRate(m.Epoch);
            Assert.True(Math.Abs(m.LearningRate - expected) <= 1e-12 * lr, $"multigrid: step {m.Step} (epoch {m.Epoch}) used lr {m.LearningRate:G6}, the schedule says {expected:G6}");
        }
        Assert.True(outcome.Last!.ValidationTop1 is not null, "multigrid: the last epoch was not evaluated");

        // TensorBoard: every step's shape (the short cycle's 8, 4, 2 clips; frames and crop of each) and each
        // parameter group's LR (backbone and the rest, decayed and not; multiplier 1 here, so each equals train/lr).
        var scalars = TensorBoardEvents.Scalars(Path.Combine(work, MetricsRecorder.TensorBoardFolder));
        Assert.Equal(metrics.Iterations.Select(m => ((int)m.Step, (float)m.BatchSize)), scalars["multigrid/batch"]);
        Assert.Equal(metrics.Iterations.Select(m => ((int)m.Step, (float)multigrid.ForIteration(m.Epoch, m.Iteration).Crop)), scalars["multigrid/crop"]);
        Assert.Equal(metrics.Iterations.Select(m => ((int)m.Step, (float)multigrid.ForIteration(m.Epoch, m.Iteration).Frames)), scalars["multigrid/frames"]);
        var groups = scalars.Keys.Where(k => k.StartsWith("train/lr/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["train/lr/backbone.decay", "train/lr/backbone.no_decay", "train/lr/decay", "train/lr/no_decay"], groups);
        foreach (string g in groups)
            Assert.Equal(scalars["train/lr"], scalars[g]);
    }

    [Fact]
    public async Task Mixup_TheBatchesCarrySoftTargets_AndThePluginTrainsOnThemWithFiniteLoss()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 2);
        string config = SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: ClassifierRuns.Tiny("x3d-m"), extraData: """, "mixup": 0.8, "cutmix": 1.0""");
        var parsed = TrainingConfig.Load(config);
        // What the plugin receives: soft targets (rows are distributions, some not one-hot).
        await using (var loader = LoaderTrainingData.Create(parsed, TorchSharp.torch.CPU))
        {
            int soft = 0;
            await foreach (var batch in loader.TrainAsync(0, CancellationToken.None))
            {
                Assert.NotNull(batch.Targets);
                Assert.Equal([batch.Samples, 2L], batch.Targets.shape);
                float[] t = batch.Targets.data<float>().ToArray();
                for (int i = 0; i < batch.Samples; i++)
                {
                    Assert.Equal(1.0, t[2 * i] + t[2 * i + 1], 1e-5);
                    if (t[2 * i] is > 1e-4f and < 1 - 1e-4f)
                        soft++;
                }
            }
            Assert.True(soft > 0, "mixup 0.8 / cutmix 1.0: every target of epoch 0 is one-hot, nothing was mixed");
        }
        var (outcome, metrics) = await ClassifierRuns.TrainAsync(config, Path.Combine(dir.Path, "work"));
        Assert.Equal(2, outcome.EpochsCompleted);
        Assert.All(metrics.Iterations, m => Assert.True(double.IsFinite(m.Loss) && m.Loss > 0, $"mixup: loss {m.Loss} at step {m.Step}"));
        Assert.True(double.IsFinite(outcome.Last!.TrainLoss));
    }
}
