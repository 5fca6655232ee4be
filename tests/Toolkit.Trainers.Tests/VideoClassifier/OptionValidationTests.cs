using Toolkit.Core;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Hosting;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.VideoClassifier;

/// <summary>
/// Bad trainer options stop <see cref="TrainingRun"/> before any data is read: the config points at a list and a root
/// that do not exist, so an error about them (or a created work dir) would show that the data side ran first.
/// </summary>
[Trait("Category", "Failure")]
public sealed class OptionValidationTests
{
    [Theory]
    [InlineData("""{"model": "x3d-m", "widht": 0.5}""", "widht")]
    [InlineData("""{"model": "no-such-net"}""", "trainer.model 'no-such-net' is unknown (known: i3d-r50, slowonly-r50, x3d-m, slowfast-r50, mvit-b, deit-ti, deit-s, deit-b)")]
    [InlineData("""{"width": 0.5}""", "trainer.model is missing")]
    [InlineData("""{"model": "x3d-m", "lr": "fast"}""", "trainer.lr")]
    [InlineData("""{"model": "deit-ti", "norm": "group"}""", "trainer.norm 'group' is not layer or batch")]
    [InlineData("""{"model": "x3d-m", "stem_temporal_stride": 1}""", "trainer.stem_temporal_stride is an option of i3d-r50 only, not of x3d-m")]
    [InlineData("""{"model": "i3d-r50", "stem_temporal_stride": 3}""", "trainer.stem_temporal_stride is 3; use 1 or 2")]
    [InlineData("""{"model": "i3d-r50", "init_from": "/no/such/weights.pth"}""", "trainer.init_from '/no/such/weights.pth' does not exist")]
    [InlineData("""{"model": "i3d-r50", "init_format": "caffe"}""", "trainer.init_format 'caffe' is not auto, mmaction2")]
    public async Task BadOption_IsAToolkitErrorNamingThePluginAndTheKey_BeforeAnyDataIsRead(string trainer, string expected)
    {
        var (e, work) = await RunAsync(trainer);
        Assert.Contains("rejected by plugin 'video-classifier'", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in: {e.Message}");
        Assert.DoesNotContain("not found", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work), $"the work dir {work} was created although the options were rejected");
    }

    [Fact]
    public async Task UnknownOption_IsCitedAtItsLineAndColumn_WithTheClosestKnownName()
    {
        var (e, _) = await RunAsync("""{"model": "x3d-m", "widht": 0.5}""");
        Assert.Matches("""config\.json:\d+:\d+: trainer\.widht is not a known key; did you mean "width"\? \(rejected by plugin 'video-classifier'\)""", e.Message);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralBadRanges_AreAllListedInOneError()
    {
        var (e, _) = await RunAsync("""{"model": "x3d-m", "width": 0, "depth": 5, "dropout": 1, "weight_decay": -1, "clip_grad": -2, "backbone_lr_multiplier": 11, "label_smoothing": 1, "eval_every": 0, "checkpoint_every": 0, "keep_checkpoints": 0, "precise_bn_batches": -1}""");
        string[] expected =
        [
            "trainer.width is 0; use (0, 4]", "trainer.depth is 5; use (0, 4]", "trainer.dropout is 1; use [0, 1)", "trainer.weight_decay is -1",
            "trainer.clip_grad is -2", "trainer.backbone_lr_multiplier is 11", "trainer.label_smoothing is 1", "trainer.eval_every is 0",
            "trainer.checkpoint_every is 0", "trainer.keep_checkpoints is 0", "trainer.precise_bn_batches is -1",
        ];
        var missing = expected.Where(x => !e.Message.Contains(x, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"the error does not list: {string.Join(" | ", missing)}\nmessage: {e.Message}");
    }

    private static async Task<(ToolkitError Error, string WorkDir)> RunAsync(string trainer)
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        string path = Path.Combine(dir.Path, "config.json");
        File.WriteAllText(path, $$"""
        {"seed": 1, "device": "cpu", "epochs": 1,
         "data": {"root": "{{Path.Combine(dir.Path, "no-frames")}}", "train": "{{Path.Combine(dir.Path, "no-train.txt")}}", "classes": 2, "clip_len": 4, "crop": 32, "batch": 2, "workers": 1},
         "trainer": {{trainer}}}
        """);
        var config = TrainingConfig.Load(path);
        string work = Path.Combine(dir.Path, "work");
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        var e = await Assert.ThrowsAsync<ToolkitError>(() => TrainingRun.RunAsync(catalog.Get("video-classifier"), new TrainingRunOptions { Config = config, WorkDir = work }, CancellationToken.None));
        return (e, work);
    }
}
