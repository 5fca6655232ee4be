using Toolkit.Trainers.Training;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.VideoClassifier;

/// <summary>Cancel after a checkpoint, resume, and get exactly the uninterrupted run; a corrupt checkpoint is named.</summary>
[Trait("Category", "Failure")]
public sealed class ResumeTests
{
    private const int Epochs = 3;

    // Dropout on, so the per-epoch reseeding of the model's own dropout generators is exercised too.
    private static readonly string Trainer = ClassifierRuns.Tiny("x3d-m", dropout: 0.5);

    [Fact]
    public async Task CancelAfterFirstCheckpoint_ThenResume_EqualsTheUninterruptedRun()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 2);
        string config = SyntheticClips.Config(dir.Path, data, epochs: Epochs, trainer: Trainer);
        string a = Path.Combine(dir.Path, "a"), b = Path.Combine(dir.Path, "b");

        var (outcomeA, metricsA) = await ClassifierRuns.TrainAsync(config, a);
        Assert.Equal(Epochs, outcomeA.EpochsCompleted);

        using var cts = new CancellationTokenSource();
        CheckpointInfo? first = null;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ClassifierRuns.TrainAsync(config, b, cts.Token, new OnCheckpoint(c =>
        {
            first ??= c;
            cts.Cancel();
        })));
        Assert.NotNull(first);
        Assert.Equal(1, first.Epoch);
        Assert.Equal(ClassifierRuns.CheckpointFolder(b, 1), first.Path);
        Assert.Equal("epoch_0001", File.ReadAllText(Path.Combine(b, "checkpoints", "latest")).Trim());
        Assert.False(Directory.Exists(ClassifierRuns.CheckpointFolder(b, 2)), "the cancelled run went on past epoch 1");
        // The cancelled run's checkpoint is byte-identical to the uninterrupted run's at the same epoch.
        AssertSameBytes(Path.Combine(ClassifierRuns.CheckpointFolder(a, 1), "model.bin"), Path.Combine(first.Path, "model.bin"));

        // Something else in the process drawing from torch's global generator meanwhile must not change the run.
        using var noise = new CancellationTokenSource();
        var globalDraws = Task.Run(() =>
        {
            while (!noise.IsCancellationRequested)
                TorchSharp.torch.rand(64).Dispose();
        });
        var display = new OnCheckpoint();
        var (outcomeB, metricsB) = await ClassifierRuns.TrainAsync(config, b, display: display);
        await noise.CancelAsync();
        await globalDraws;
        Assert.Contains(display.Messages, m => m.StartsWith($"resumed from {first.Path} (epoch 1", StringComparison.Ordinal));
        Assert.Equal(Epochs, outcomeB.EpochsCompleted);
        var epochsA = ClassifierRuns.SavedEpochs(a);
        var epochsB = ClassifierRuns.SavedEpochs(b);
        Assert.Equal(Epochs, epochsB.Length);
        for (int e = 0; e < Epochs; e++)
        {
            double la = epochsA[e].GetProperty("train_loss").GetDouble(), lb = epochsB[e].GetProperty("train_loss").GetDouble();
            Assert.True(Math.Abs(la - lb) <= 1e-6, $"epoch {e}: resumed run's training loss {lb:R} differs from the uninterrupted run's {la:R} ({b} vs {a})");
        }
        // Iterations of the resumed epochs: same steps, same losses, same learning rates.
        var itA = metricsA.Iterations.Where(m => m.Epoch >= 1).ToArray();
        var itB = metricsB.Iterations.Where(m => m.Epoch >= 1).ToArray();
        Assert.Equal(itA.Select(m => (m.Step, m.LearningRate)), itB.Select(m => (m.Step, m.LearningRate)));
        for (int i = 0; i < itA.Length; i++)
            Assert.True(Math.Abs(itA[i].Loss - itB[i].Loss) <= 1e-6, $"step {itA[i].Step}: loss {itB[i].Loss:R} after resume, {itA[i].Loss:R} uninterrupted");
        AssertSameBytes(Path.Combine(outcomeA.LastCheckpoint!, "model.bin"), Path.Combine(outcomeB.LastCheckpoint!, "model.bin"));
        AssertSameBytes(Path.Combine(outcomeA.LastCheckpoint!, "optimizer.bin"), Path.Combine(outcomeB.LastCheckpoint!, "optimizer.bin"));
    }

    [Fact]
    public async Task TruncatedModelBin_OnlyCheckpoint_NextRunFails_NamingTheFileAndWhy()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        var (outcome, _) = await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: Trainer), work);
        string model = Path.Combine(outcome.LastCheckpoint!, "model.bin");
        using (var f = new FileStream(model, FileMode.Open))
            f.SetLength(f.Length / 2);
        var e = await Assert.ThrowsAsync<PluginFailedException>(() => ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: Trainer), work));
        Assert.Contains(model, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated or corrupt", e.Message, StringComparison.Ordinal);
        Assert.Contains("'video-classifier'", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ClassifierRuns.CheckpointFolder(work, 2)), "a run went on from a corrupt checkpoint");
    }

    [Fact]
    public async Task TruncatedNewestCheckpoint_NextRunResumesFromTheNewestValidOne_SayingWhichItSkipped()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: Trainer), work);
        string corrupt = ClassifierRuns.CheckpointFolder(work, 2);
        using (var f = new FileStream(Path.Combine(corrupt, "model.bin"), FileMode.Open))
            f.SetLength(f.Length / 2);
        var log = new OnCheckpoint();
        var (outcome, _) = await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 3, trainer: Trainer), work, display: log);
        Assert.Contains(log.Messages, m => m.StartsWith($"skipped checkpoint {corrupt}: ", StringComparison.Ordinal) && m.Contains("truncated or corrupt", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.StartsWith($"resumed from {ClassifierRuns.CheckpointFolder(work, 1)} (epoch 1", StringComparison.Ordinal));
        Assert.Equal(ClassifierRuns.CheckpointFolder(work, 3), outcome.LastCheckpoint);
        // Epoch 2 was trained again and its checkpoint rewritten whole.
        Assert.Equal(2, Checkpoint.ReadState(corrupt).Epoch);
    }

    [Fact]
    public async Task DivergingRun_IsNeverCheckpointed_RecordsItsNaN_AndASaneRerunTrains()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        var e = await Assert.ThrowsAsync<PluginFailedException>(() =>
            ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: ClassifierRuns.Tiny("x3d-m", lr: 1e6)), work));
        Assert.Contains("training diverged in epoch 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("not checkpointed", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ClassifierRuns.CheckpointFolder(work, 1)), "a diverged epoch was checkpointed");
        // metrics.json holds the diverged epoch, NaN written as a string JSON can carry.
        var epoch = ClassifierRuns.SavedEpochs(work).Single();
        Assert.Contains("NaN", epoch.ToString(), StringComparison.Ordinal);

        var (outcome, _) = await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: Trainer), work);
        Assert.Equal(ClassifierRuns.CheckpointFolder(work, 1), outcome.LastCheckpoint);
    }

    [Fact]
    public async Task ResumeFrom_AnEarlierEpoch_SetsTheLaterOnesAside_AndRetrainsThemIdentically()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        string config = SyntheticClips.Config(dir.Path, data, epochs: Epochs, trainer: Trainer);
        await ClassifierRuns.TrainAsync(config, work);

        var log = new OnCheckpoint();
        var (outcome, _) = await ClassifierRuns.TrainAsync(config, work, display: log, resumeFrom: "1");

        string previous = Assert.Single(Directory.GetDirectories(Path.Combine(work, TrainingRun.PreviousFolder)));
        string aside = Path.Combine(previous, "checkpoints");
        Assert.Contains(log.Messages, m => m.StartsWith($"resuming from {ClassifierRuns.CheckpointFolder(work, 1)} (epoch 1); the later checkpoints (epoch_0002, epoch_0003) were moved to {aside}", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.StartsWith($"resumed from {ClassifierRuns.CheckpointFolder(work, 1)} (epoch 1", StringComparison.Ordinal));
        Assert.Equal(ClassifierRuns.CheckpointFolder(work, Epochs), outcome.LastCheckpoint);
        // Same seed, same data: epochs 2 and 3 come out bit for bit as the first time; their old copies are kept aside.
        for (int epoch = 2; epoch <= Epochs; epoch++)
            AssertSameBytes(Path.Combine(aside, $"epoch_{epoch:0000}", "model.bin"), Path.Combine(ClassifierRuns.CheckpointFolder(work, epoch), "model.bin"));
        Assert.Equal([1, 2, 3], ClassifierRuns.SavedEpochs(work).Select(e => e.GetProperty("epoch").GetInt32())); // 1-based, as the console
    }

    [Theory]
    [InlineData("7", "no such checkpoint (this work dir has epoch_0001)", true)]
    [InlineData("1", "cannot be combined with Resume = false", false)]
    public async Task ResumeFrom_MissingCheckpointOrWithNoResume_IsRefusedBeforeAnythingMoves(string which, string expected, bool resume)
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        string config = SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: Trainer);
        await ClassifierRuns.TrainAsync(config, work);

        var e = await Assert.ThrowsAsync<Toolkit.Core.ToolkitError>(() => ClassifierRuns.TrainAsync(config, work, resume: resume, resumeFrom: which));

        Assert.StartsWith("TrainingRunOptions.ResumeFrom: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(work, TrainingRun.PreviousFolder)));
        Assert.Equal(1, Checkpoint.ReadState(work).Epoch);
    }

    [Fact]
    public async Task ResumeFrom_CorruptCheckpoint_IsRefusedNamingWhy()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        string config = SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: Trainer);
        await ClassifierRuns.TrainAsync(config, work);
        using (var f = new FileStream(Path.Combine(ClassifierRuns.CheckpointFolder(work, 1), "model.bin"), FileMode.Open))
            f.SetLength(f.Length / 2);

        var e = await Assert.ThrowsAsync<Toolkit.Core.ToolkitError>(() => ClassifierRuns.TrainAsync(config, work, resumeFrom: "epoch_0001"));

        Assert.Contains("truncated or corrupt", e.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(ClassifierRuns.CheckpointFolder(work, 2)), "a refused --resume-from moved checkpoints");
    }

    [Fact]
    [Trait("Category", "Failure")]
    public async Task AnotherSeed_OnAWorkDirWithCheckpoints_IsRefusedByTheHost_ListingWhatChanged()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: Trainer), work);
        string runJson = File.ReadAllText(Path.Combine(work, RunRecord.FileName));

        string other = SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: Trainer);
        File.WriteAllText(other, File.ReadAllText(other).Replace("\"seed\": 7", "\"seed\": 8", StringComparison.Ordinal));
        var e = await Assert.ThrowsAsync<Toolkit.Core.ToolkitError>(() => ClassifierRuns.TrainAsync(other, work));
        Assert.Contains("its checkpoints were trained with seed 7, this config has seed 8", e.Message, StringComparison.Ordinal);
        Assert.Contains("seed: 7 → 8", e.Message, StringComparison.Ordinal);
        Assert.Contains("epochs: 1 → 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("--no-resume", e.Message, StringComparison.Ordinal);
        Assert.Equal(runJson, File.ReadAllText(Path.Combine(work, RunRecord.FileName))); // nothing of the refused start recorded
    }

    [Fact]
    [Trait("Category", "Failure")]
    public async Task AnotherModelShape_OnResume_IsRefusedByTheHost_ListingWhatChanged_AndKeepsTheRecord()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: Trainer), work);
        string runJson = File.ReadAllText(Path.Combine(work, RunRecord.FileName));
        string configJson = File.ReadAllText(Path.Combine(work, RunRecord.ConfigFileName));

        string wider = SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: ClassifierRuns.Tiny("x3d-m", width: 0.5, dropout: 0.5));
        var e = await Assert.ThrowsAsync<Toolkit.Core.ToolkitError>(() => ClassifierRuns.TrainAsync(wider, work));

        Assert.Contains($"{work}: cannot resume: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.bin: cannot be loaded into this model", e.Message, StringComparison.Ordinal);
        Assert.Contains("trainer.width: 0.25 → 0.5", e.Message, StringComparison.Ordinal);
        Assert.Contains("--no-resume", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("run the same command again", e.Message, StringComparison.Ordinal);
        Assert.Equal(runJson, File.ReadAllText(Path.Combine(work, RunRecord.FileName)));       // the start of the checkpoints' run
        Assert.Equal(configJson, File.ReadAllText(Path.Combine(work, RunRecord.ConfigFileName)));
        Assert.Equal(["epoch_0001"], Directory.GetDirectories(Path.Combine(work, "checkpoints")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task NoResume_SetsTheEarlierRunAside_SoNoOldEpochSitsBesideTheNewOnes()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string work = Path.Combine(dir.Path, "work");
        await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: Trainer), work);

        var log = new OnCheckpoint();
        var (outcome, _) = await ClassifierRuns.TrainAsync(SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: Trainer), work, display: log, resume: false);

        string previous = Assert.Single(Directory.GetDirectories(Path.Combine(work, TrainingRun.PreviousFolder)));
        Assert.Contains(log.Messages, m => m.StartsWith("--no-resume: the earlier run's files (checkpoints, config.json, metrics, run.json, runs.jsonl, tb) were moved to " + previous, StringComparison.Ordinal));
        Assert.Equal(ClassifierRuns.CheckpointFolder(work, 1), outcome.LastCheckpoint);
        Assert.Equal(["epoch_0001"], Directory.GetDirectories(Path.Combine(work, "checkpoints")).Select(Path.GetFileName));
        Assert.Single(ClassifierRuns.SavedEpochs(work));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(work, "metrics", "epochs.csv")).Length); // header + this run's epoch
        Assert.Equal(2, Checkpoint.ReadState(Path.Combine(previous, "checkpoints", "epoch_0002")).Epoch);
    }

    private static void AssertSameBytes(string expected, string actual)
    {
        byte[] x = File.ReadAllBytes(expected), y = File.ReadAllBytes(actual);
        int firstDiff = Enumerable.Range(0, Math.Min(x.Length, y.Length)).FirstOrDefault(i => x[i] != y[i], -1);
        Assert.True(x.Length == y.Length && firstDiff < 0, $"{actual} differs from {expected} ({y.Length} vs {x.Length} bytes, first difference at byte {firstDiff})");
    }
}
