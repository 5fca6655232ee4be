using Toolkit.Core;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Hosting;

/// <summary>Runs through the host with the real loaders on synthetic rawframes.</summary>
[Trait("Category", "Integration")]
public sealed class TrainingRunTests
{
    [Fact]
    public async Task RunAsync_Echo_GetsEveryBatchOfEveryEpoch_AndTheMetricsFilesAreWritten()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 3);
        var config = TrainingConfig.Load(SyntheticClips.Config(dir.Path, data, epochs: 2, trainer: "{}", batch: 2));
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        string work = Path.Combine(dir.Path, "work");
        var (outcome, metrics) = await TrainingRun.RunAsync(catalog.Get("echo"), new TrainingRunOptions { Config = config, WorkDir = work }, CancellationToken.None);
        Assert.Equal(2, outcome.EpochsCompleted);
        // 6 videos, batch 2, drop_last: 3 iterations per epoch.
        Assert.Equal("3", File.ReadAllText(Path.Combine(work, "echo_epoch_2")));
        Assert.Equal(6, metrics.Iterations.Count);
        var csv = File.ReadAllLines(Path.Combine(work, "metrics", "iterations.csv"));
        Assert.Equal(7, csv.Length);
        Assert.StartsWith("epoch,iteration,step,loss", csv[0], StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(work, "metrics", "epochs.csv")).Length);
        var log = File.ReadAllLines(Path.Combine(work, "metrics", MetricsRecorder.LogFileName));
        Assert.Equal(6, log.Length); // one train line per iteration; echo reports no validation
        using (var last = System.Text.Json.JsonDocument.Parse(log[^1]))
            Assert.Equal(("train", 2, 3), (last.RootElement.GetProperty("mode").GetString(), last.RootElement.GetProperty("epoch").GetInt32(), last.RootElement.GetProperty("iter").GetInt32()));
        // TensorBoard: every record's framing and CRCs check, and the scalars are the reported values.
        var scalars = TensorBoardEvents.Scalars(Path.Combine(work, MetricsRecorder.TensorBoardFolder));
        Assert.Equal(metrics.Iterations.Select(m => ((int)m.Step, (float)m.Loss)), scalars["train/loss"]);
        Assert.Equal(metrics.Iterations.Select(m => ((int)m.Step, (float)m.LearningRate)), scalars["train/lr"]);
        Assert.Equal([1, 2], scalars["epoch/train_loss"].Select(p => p.Step));
        Assert.Equal(metrics.Epochs.Select(e => (float)e.TrainTop1), scalars["epoch/train_top1"].Select(p => p.Value));
        var png = File.ReadAllBytes(metrics.PlotPath);
        Assert.True(png.Length > 5000);
        Assert.Equal(0x89, png[0]);
    }

    [Fact]
    public async Task RunAsync_RecordsWhatItStartedWith_AndAResumeSaysWhatChanged()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 3);
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        string work = Path.Combine(dir.Path, "work");
        async Task<OnCheckpoint> Run(int epochs, int batch)
        {
            var log = new OnCheckpoint();
            var config = TrainingConfig.Load(SyntheticClips.Config(dir.Path, data, epochs: epochs, trainer: "{}", batch: batch));
            await TrainingRun.RunAsync(catalog.Get("echo"), new TrainingRunOptions { Config = config, WorkDir = work, Display = log }, CancellationToken.None);
            return log;
        }

        await Run(epochs: 1, batch: 2);
        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(work, RunRecord.FileName))))
        {
            var root = doc.RootElement;
            Assert.Equal(("echo", 7L, "cpu"), (root.GetProperty("plugin").GetString(), root.GetProperty("seed").GetInt64(), root.GetProperty("device").GetString()));
            Assert.StartsWith("1.", root.GetProperty("plugin_version").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("toolkit").GetString()));
            Assert.False(string.IsNullOrEmpty(root.GetProperty("libtorch").GetString()));
            Assert.Equal(2, root.GetProperty("config").GetProperty("data").GetProperty("batch").GetInt32());
            Assert.Equal("rrc", root.GetProperty("config").GetProperty("data").GetProperty("recipe").GetString()); // a default, filled in
            Assert.Equal(["data.label_map", "data.train", "data.val"], root.GetProperty("data").EnumerateObject().Select(p => p.Name));
            Assert.StartsWith("sha256:", root.GetProperty("data").GetProperty("data.train").GetString(), StringComparison.Ordinal);
            // config.json: the same resolved config alone, a file toolkit train --config reads back as it is.
            string configJson = Path.Combine(work, RunRecord.ConfigFileName);
            using var alone = System.Text.Json.JsonDocument.Parse(File.ReadAllText(configJson));
            Assert.True(System.Text.Json.JsonElement.DeepEquals(root.GetProperty("config"), alone.RootElement), alone.RootElement.GetRawText());
            var reread = TrainingConfig.Load(configJson);
            Assert.Equal((1, 2, "rrc", 7L), (reread.Epochs, reread.Data.Batch, reread.Data.Recipe, reread.Seed));
        }

        var same = await Run(epochs: 1, batch: 2);
        Assert.DoesNotContain(same.Messages, m => m.StartsWith("changed since", StringComparison.Ordinal));

        File.AppendAllLines(data.Train, [File.ReadLines(data.Train).First()]);
        var changed = await Run(epochs: 2, batch: 3);
        string message = Assert.Single(changed.Messages, m => m.StartsWith("changed since the previous start of this work dir", StringComparison.Ordinal));
        Assert.Contains("data.batch: 2 → 3", message, StringComparison.Ordinal);
        Assert.Contains("epochs: 1 → 2", message, StringComparison.Ordinal);
        Assert.Contains("data.train: the list's contents changed", message, StringComparison.Ordinal);
        Assert.DoesNotContain("data.val:", message, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(work, RunRecord.HistoryFileName)).Length);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void MmactionLog_TrainLinePerIteration_ValLinePerEvaluatedEpoch_OneBased_NaNAsAString()
    {
        IterationMetrics It(int epoch, int iteration, double loss) => new(epoch, iteration, epoch * 2 + iteration, loss, 0.1, 1.5, 8, 0.25, 0.05);
        var text = System.Text.Encoding.UTF8.GetString(MetricsRecorder.MmactionLog(
            [It(0, 0, 2.0), It(0, 1, 1.5), It(1, 0, double.NaN), It(1, 1, 1.0)],
            [new EpochMetrics(0, 1.75, 0.5, 1.2, 0.6, 0.9, 0.1, 3, 1, 0), new EpochMetrics(1, 1.0, 0.7, null, null, null, 0.05, 3, 1, 0)]));

        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Equal("""{"mode":"train","epoch":1,"iter":1,"lr":0.1,"loss":2,"grad_norm":1.5,"time":0.25,"data_time":0.05}""", lines[0]);
        Assert.Equal("""{"mode":"val","epoch":1,"iter":2,"lr":0.1,"loss":1.2,"top1_acc":0.6,"top5_acc":0.9}""", lines[2]);
        Assert.Contains("\"loss\":\"NaN\"", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("""{"mode":"train","epoch":2,"iter":2""", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PluginThrowsMidTraining_FailsWithPluginNameCauseAndTheIntactCheckpoint()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 2);
        var config = TrainingConfig.Load(SyntheticClips.Config(dir.Path, data, epochs: 3, trainer: """{"fail_in_epoch": 1}"""));
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        string work = Path.Combine(dir.Path, "work");
        var e = await Assert.ThrowsAsync<PluginFailedException>(() =>
            TrainingRun.RunAsync(catalog.Get("echo"), new TrainingRunOptions { Config = config, WorkDir = work }, CancellationToken.None));
        Assert.Contains("'echo'", e.Message, StringComparison.Ordinal);
        Assert.Contains("told to fail in epoch 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(work, "echo_epoch_1"), e.LastCheckpoint);
        Assert.Contains(e.LastCheckpoint!, e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(e.LastCheckpoint));
        Assert.True(File.Exists(Path.Combine(work, "metrics", "metrics.json"))); // what happened before the failure is recorded
    }

    [Fact]
    public async Task RunAsync_OptionsThePluginRejects_FailBeforeAnyDataIsRead()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        var config = TrainingConfig.Load(SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: """{"bad": true}"""));
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        string work = Path.Combine(dir.Path, "work");
        var e = await Assert.ThrowsAsync<ToolkitError>(() => TrainingRun.RunAsync(catalog.Get("echo"), new TrainingRunOptions { Config = config, WorkDir = work }, CancellationToken.None));
        Assert.Contains("trainer.bad is not an option of echo", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work));
    }

    [Theory]
    [InlineData("""{"seed": 0, "data": {"train": "x.txt", "classes": 2}, "epochs": 0}""", "epochs is 0")]
    [InlineData("""{"seed": 0, "data": {"train": "x.txt", "classes": 2}, "epochs": 100000000}""", "epochs is 100000000. use at most 100000")] // ran a minute silently
    [InlineData("""{"data": {"train": "x.txt", "classes": 2, "multigrid": {"max_epoch": 2000000000}}}""", "data.multigrid.max_epoch is 2000000000. use 1..100000")]
    [InlineData("""{"data": {"train": "x.txt"}}""", "neither data.classes nor data.label_map")]
    [InlineData("""{"data": {"train": "x.txt", "classes": 2, "clip_len": 0}}""", "bad.json:1:43: data.clip_len is 0. use 1..1024")]
    [InlineData("""{"data": {"train": "x.txt", "classes": 2, "bacth": 3}}""", "bad.json:1:43: data.bacth is not a known key; did you mean \"batch\"? see configs/demo.json")]
    [InlineData("""{"data": {"train": "x.txt", "classes": 2, "workers": "two"}}""", "bad.json:1:43: data.workers must be an integer, not the string \"two\"")]
    [InlineData("""{"data": {"train": "x.txt", "classes": 2, "kind": "frames"}}""", "data.kind must be one of \"rawframes\", \"videos\", not the string \"frames\"")]
    [InlineData("{\n  \"seed\": 1\n  \"data\": {}}", "bad.json:3:3: is not valid JSON")]
    [InlineData("""{"data": {"train": "x.txt", "classes": 2}, "epoch": 3}""", "epoch")]
    [InlineData("""{"data": {"train": "x.txt", "classes": 2}, "device": "tpu"}""", "device 'tpu'")]
    [InlineData("""{"data": [1, 2]}""", "bad.json:1:2: data must be an object, not an array")]
    [InlineData("""{"data": {"train": "x.txt", "classes": 2, "jpeg_scaling": "half"}}""", "data.jpeg_scaling 'half' is not exact, covering or off")]
    [InlineData("""{"device": "cuda", "data": {"train": "x.txt", "classes": 2}, "device": "cpu"}""", "bad.json:1:1: the object here has the key \"device\" twice. keep one of them")]
    [InlineData("""{"data": {"train": "x.txt", "classes": 2, "crop": 96, "crop": 112}}""", "the object here has the key \"crop\" twice")]
    public void Load_BadConfig_NamesTheFileAndTheKey(string json, string expected)
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        string path = Path.Combine(dir.Path, "bad.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<ToolkitError>(() => TrainingConfig.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingTrainList_NamesTheList()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        var config = TrainingConfig.Load(SyntheticClips.Config(dir.Path, data with { Train = Path.Combine(dir.Path, "missing.txt") }, epochs: 1, trainer: "{}"));
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        var e = await Assert.ThrowsAsync<ToolkitError>(() =>
            TrainingRun.RunAsync(catalog.Get("echo"), new TrainingRunOptions { Config = config, WorkDir = Path.Combine(dir.Path, "w") }, CancellationToken.None));
        Assert.Contains("missing.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadMultigridSteps_NamesTheConfigKeyAndItsPosition_NotAScheduleFlag()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1);
        string path = SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: "{}", extraData: ", \"multigrid\": {\"steps\": [0, 3, 3], \"max_epoch\": 6}");
        var config = TrainingConfig.Load(path);
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        var e = await Assert.ThrowsAsync<ToolkitError>(() =>
            TrainingRun.RunAsync(catalog.Get("echo"), new TrainingRunOptions { Config = config, WorkDir = Path.Combine(dir.Path, "w") }, CancellationToken.None));
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(path)}:\\d+:\\d+: data\\.multigrid\\.steps: '0,3,3' must increase", e.Message);
        Assert.DoesNotContain("--steps", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MultigridOptions", e.Message, StringComparison.Ordinal);
    }
}
