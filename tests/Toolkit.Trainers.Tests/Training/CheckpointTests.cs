using Toolkit.Trainers.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Tests.Training;

[Trait("Category", "Unit")]
public sealed class CheckpointTests : IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "toolkit-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_workDir))
            Directory.Delete(_workDir, recursive: true);
    }

    private static Sequential NewModel(long seed)
    {
        var model = Sequential(("fc1", Linear(4, 8)), ("act", ReLU()), ("norm", LayerNorm(8)), ("fc2", Linear(8, 3)));
        using var gen = new Generator((ulong)seed, CPU);
        using (no_grad())
        {
            foreach (var p in model.parameters())
                p.copy_(randn(p.shape, generator: gen) * 0.5);
        }

        return model;
    }

    private sealed class Run : IDisposable
    {
        private readonly LearningRateSchedule _schedule;

        public Run(string preset, long initSeed)
        {
            Preset = OptimizerPresets.Get(preset) with { ClipMaxNorm = 0.5 };
            Model = NewModel(initSeed);
            Optimizer = Optimizers.Create(Preset, ParameterGroups.Split(Model, null));
            _schedule = LearningRateSchedule.For(Preset, Preset.Epochs);
        }

        public OptimizerPreset Preset { get; }

        public Sequential Model { get; }

        public OptimizerHelper Optimizer { get; }

        public Generator Data { get; } = new(42, CPU);

        /// <summary>One training step at global iteration <paramref name="step"/>; returns the loss before the update.</summary>
        public float Step(int step)
        {
            using var scope = NewDisposeScope();
            var x = randn(new long[] { 5, 4 }, generator: Data);
            var y = randint(3, new long[] { 5 }, generator: Data);
            Optimizers.SetLearningRate(Optimizer, _schedule.At(step / 10, step % 10, 10) * 100);
            Optimizer.zero_grad();
            var loss = Losses.CrossEntropy(Model.call(x), y, 0.1);
            loss.backward();
            GradientClipping.ClipL2(Model.parameters(), Preset.ClipMaxNorm!.Value);
            Optimizer.step();
            return loss.item<float>();
        }

        public float Probe()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = arange(12, dtype: ScalarType.Float32).view(3, 4) / 6;
            return Losses.CrossEntropy(Model.call(x), tensor(new long[] { 0, 1, 2 })).item<float>();
        }

        public void Dispose()
        {
            Optimizer.Dispose();
            Model.Dispose();
            Data.Dispose();
        }
    }

    private TrainingState StateOf(Run run, int epoch, long step) => new()
    {
        Epoch = epoch,
        Step = step,
        Seed = 42,
        GeneratorState = TrainingState.CaptureGenerator(run.Data),
        Schedule = run.Preset.Name,
        Metrics = new Dictionary<string, double> { ["train/loss"] = 1.25 },
    };

    [Theory]
    [InlineData("adamw-30e")]
    [InlineData("sgd-50e")]
    public void SaveThenLoad_NextStepIsIdentical(string preset)
    {
        float expectedLoss, expectedProbe;
        using (var a = new Run(preset, initSeed: 1))
        {
            a.Step(0);
            a.Step(1);
            Checkpoint.Save(_workDir, a.Model, a.Optimizer, StateOf(a, epoch: 1, step: 2));
            expectedLoss = a.Step(2);  // depends on the weights
            expectedProbe = a.Probe(); // depends on the optimizer state (moments / momentum) too
        }

        using var b = new Run(preset, initSeed: 2);
        Assert.NotEqual(expectedProbe, b.Probe());
        var state = Checkpoint.TryLoadLatest(_workDir, b.Model, b.Optimizer);
        Assert.NotNull(state);
        Assert.Equal((1, 2L, 42L, preset), (state.Epoch, state.Step, state.Seed, state.Schedule));
        Assert.Equal(1.25, state.Metrics["train/loss"]);
        state.RestoreGenerator(b.Data);
        Assert.Equal(expectedLoss, b.Step(2));
        Assert.Equal(expectedProbe, b.Probe());
        Assert.True(File.Exists(Path.Combine(_workDir, "checkpoints", "epoch_0001", "state.json")));
        Assert.Equal("epoch_0001", File.ReadAllText(Path.Combine(_workDir, "checkpoints", "latest")).Trim());
    }

    [Fact]
    public void TryLoadLatest_NoCheckpoint_ReturnsNull()
    {
        using var run = new Run("adamw-30e", 1);
        Assert.Null(Checkpoint.TryLoadLatest(_workDir, run.Model, run.Optimizer));
    }

    [Theory]
    [InlineData("model")]
    [InlineData("optimizer")]
    [InlineData("state")]
    [InlineData("renamed")]
    public void CrashDuringSave_PreviousCheckpointStaysLatest(string stage)
    {
        using var run = new Run("adamw-30e", 1);
        run.Step(0);
        Checkpoint.Save(_workDir, run.Model, run.Optimizer, StateOf(run, 1, 1));
        float probe = run.Probe();
        run.Step(1);
        Assert.Throws<IOException>(() => Checkpoint.Save(_workDir, run.Model, run.Optimizer, StateOf(run, 2, 2),
            s => { if (s == stage) throw new IOException("simulated crash at " + s); }));

        string root = Path.Combine(_workDir, "checkpoints");
        Assert.Equal("epoch_0001", File.ReadAllText(Path.Combine(root, "latest")).Trim());
        Assert.Empty(Directory.GetDirectories(root, ".tmp-*"));
        // Before the rename nothing named epoch_0002 exists; after it, the folder is complete but not yet latest.
        Assert.Equal(stage == "renamed", Directory.Exists(Path.Combine(root, "epoch_0002")));

        using var fresh = new Run("adamw-30e", 2);
        var state = Checkpoint.TryLoadLatest(_workDir, fresh.Model, fresh.Optimizer);
        Assert.Equal(1, state!.Epoch);
        Assert.Equal(probe, fresh.Probe());
    }

    [Fact]
    public void TryLoadLatest_CorruptFile_ThrowsNamingIt_AndLoadsNothing()
    {
        using var run = new Run("adamw-30e", 1);
        string folder = Checkpoint.Save(_workDir, run.Model, run.Optimizer, StateOf(run, 3, 3));
        string modelFile = Path.Combine(folder, "model.bin");
        var bytes = File.ReadAllBytes(modelFile);
        File.WriteAllBytes(modelFile, bytes[..^8]);

        using var fresh = new Run("adamw-30e", 2);
        float before = fresh.Probe();
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.TryLoadLatest(_workDir, fresh.Model, fresh.Optimizer));
        Assert.Contains(modelFile, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Equal(before, fresh.Probe());

        File.Delete(Path.Combine(folder, "state.json"));
        e = Assert.Throws<InvalidDataException>(() => Checkpoint.TryLoadLatest(_workDir, fresh.Model, fresh.Optimizer));
        Assert.Contains("state.json", e.Message);
    }

    [Fact]
    public void TryLoadLatest_CorruptNewest_FallsBackToTheNewestThatVerifies_ReportingEachSkipped()
    {
        using var run = new Run("adamw-30e", 1);
        Checkpoint.Save(_workDir, run.Model, run.Optimizer, StateOf(run, 1, 1));
        run.Step(0);
        Checkpoint.Save(_workDir, run.Model, run.Optimizer, StateOf(run, 2, 2));
        float probe = run.Probe();
        run.Step(1);
        string third = Checkpoint.Save(_workDir, run.Model, run.Optimizer, StateOf(run, 3, 3));
        File.WriteAllBytes(Path.Combine(third, "optimizer.bin"), [1, 2, 3]);

        using var fresh = new Run("adamw-30e", 2);
        var skipped = new List<(string Folder, string Why)>();
        var state = Checkpoint.TryLoadLatest(_workDir, fresh.Model, fresh.Optimizer, (f, why) => skipped.Add((f, why)));
        Assert.Equal(2, state!.Epoch);
        Assert.Equal(probe, fresh.Probe());
        var (folder, reason) = Assert.Single(skipped);
        Assert.Equal(third, folder);
        Assert.Contains("optimizer.bin", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Keep_PrunesOldest_KeepsLatest()
    {
        using var run = new Run("adamw-30e", 1);
        foreach (var epoch in new[] { 1, 2, 3, 4 })
            Checkpoint.Save(_workDir, run.Model, run.Optimizer, StateOf(run, epoch, epoch));
        Checkpoint.Save(_workDir, run.Model, run.Optimizer, StateOf(run, 4, 4)); // re-save of the same epoch replaces it
        Assert.Equal(["epoch_0001", "epoch_0002"], Checkpoint.Keep(_workDir, 2));
        string root = Path.Combine(_workDir, "checkpoints");
        Assert.Equal(["epoch_0003", "epoch_0004"], Directory.GetDirectories(root).Select(Path.GetFileName).Order());
        Assert.Equal("last", Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Keep(_workDir, 0)).ParamName);
    }

    [Fact]
    public void Best_FollowsTheHighestValidationTop1_SurvivesKeep_AndIsRecomputedByARewind()
    {
        using var run = new Run("adamw-30e", 1);
        TrainingState Scored(int epoch, double? top1) => StateOf(run, epoch, epoch) with
        {
            Metrics = top1 is { } t ? new Dictionary<string, double> { [Checkpoint.BestMetric] = t } : new Dictionary<string, double>(),
        };
        string root = Path.Combine(_workDir, "checkpoints");
        Assert.Null(Checkpoint.Best(_workDir));

        Checkpoint.Save(_workDir, run.Model, run.Optimizer, Scored(1, 0.5));
        Checkpoint.Save(_workDir, run.Model, run.Optimizer, Scored(2, 0.9));
        Checkpoint.Save(_workDir, run.Model, run.Optimizer, Scored(3, 0.6));
        Checkpoint.Save(_workDir, run.Model, run.Optimizer, Scored(4, null)); // not evaluated: never best
        Assert.Equal(Path.Combine(root, "epoch_0002"), Checkpoint.Best(_workDir));

        Assert.Equal(["epoch_0001", "epoch_0003"], Checkpoint.Keep(_workDir, 1)); // latest (4) and best (2) are kept
        Assert.Equal(["epoch_0002", "epoch_0004"], Directory.GetDirectories(root).Select(Path.GetFileName).Order());

        Checkpoint.Save(_workDir, run.Model, run.Optimizer, Scored(5, 0.95));
        Assert.Equal(Path.Combine(root, "epoch_0005"), Checkpoint.Best(_workDir));

        // Rewinding to epoch 4 sets epoch 5 aside: best falls back to the best of what is left (epoch 2).
        Checkpoint.RewindTo(_workDir, Path.Combine(root, "epoch_0004"), Path.Combine(_workDir, "aside"));
        Assert.Equal(Path.Combine(root, "epoch_0002"), Checkpoint.Best(_workDir));
    }

    [Fact]
    public void TryLoadLatest_DifferentArchitecture_ThrowsNamingModelFile()
    {
        using var run = new Run("adamw-30e", 1);
        string folder = Checkpoint.Save(_workDir, run.Model, run.Optimizer, StateOf(run, 1, 1));
        using var other = Sequential(("fc1", Linear(4, 6)));
        using var optimizer = Optimizers.Create(OptimizerPresets.AdamW30, ParameterGroups.Split(other, null));
        var e = Assert.Throws<ModelMismatchException>(() => Checkpoint.TryLoadLatest(_workDir, other, optimizer));
        Assert.Contains(Path.Combine(folder, "model.bin"), e.Message);
    }
    [Fact]
    public void StateJson_IsSnakeCase_AndACheckpointWrittenBeforeInPascalCaseIsStillRead()
    {
        using var run = new Run("adamw-30e", 1);
        var state = new TrainingState
        {
            Epoch = 3,
            Step = 30,
            Seed = 5,
            Model = new Toolkit.Trainers.Models.ModelSpec("x3d-m", 4) { Width = 0.25 },
            Metrics = new Dictionary<string, double> { [Checkpoint.BestMetric] = 0.75 },
        };
        string folder = Checkpoint.Save(_workDir, run.Model, run.Optimizer, state);
        string path = Path.Combine(folder, "state.json");
        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path)))
        {
            var root = doc.RootElement;
            Assert.Equal(["files", "state"], root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            var st = root.GetProperty("state");
            Assert.Equal(3, st.GetProperty("epoch").GetInt32());
            Assert.Equal("x3d-m", st.GetProperty("model").GetProperty("architecture").GetString());
            Assert.Equal(0.75, st.GetProperty("metrics").GetProperty("val_top1").GetDouble());
            Assert.True(root.GetProperty("files").GetProperty("model.bin").TryGetProperty("sha256", out _));
            // The same record as a checkpoint written before snake_case: PascalCase keys throughout.
            var model = root.GetProperty("files").GetProperty("model.bin");
            var optimizer = root.GetProperty("files").GetProperty("optimizer.bin");
            File.WriteAllText(path, $$$"""
                {"State": {"Epoch": 3, "Step": 30, "Seed": 5, "GeneratorState": null, "Schedule": null,
                           "Model": {"Architecture": "x3d-m", "Classes": 4, "Width": 0.25, "Depth": 1, "StemTemporalStride": null, "Norm": "layer", "Activation": null, "WeightNorm": null, "PreNorm": true},
                           "Metrics": {"val_top1": 0.75}},
                 "Files": {"model.bin": {"Bytes": {{{model.GetProperty("bytes").GetInt64()}}}, "Sha256": "{{{model.GetProperty("sha256").GetString()}}}"},
                           "optimizer.bin": {"Bytes": {{{optimizer.GetProperty("bytes").GetInt64()}}}, "Sha256": "{{{optimizer.GetProperty("sha256").GetString()}}}"} } }
                """);
        }
        var legacy = Checkpoint.ReadState(folder);
        Assert.Equal((3, 30L, 5L, 0.75), (legacy.Epoch, legacy.Step, legacy.Seed, legacy.Metrics[Checkpoint.BestMetric]));
        Assert.Equal(new Toolkit.Trainers.Models.ModelSpec("x3d-m", 4) { Width = 0.25 }, legacy.Model);
        using var other = NewModel(2);
        Assert.Equal(3, Checkpoint.LoadModel(folder, other).Epoch); // sizes and hashes verified from the legacy record
    }
}
