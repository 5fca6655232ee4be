using Toolkit.Trainers.Models.Norms;
using Toolkit.Trainers.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Tests.Training;

/// <summary>Every temporary tensor is disposed: the thread's live-tensor count returns to its baseline once the caller disposes what it was given.</summary>
[Trait("Category", "Unit")]
public sealed class TensorLeakTests : IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "toolkit-leak-" + Guid.NewGuid().ToString("N"));

    private static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    public void Dispose()
    {
        if (Directory.Exists(_workDir))
            Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public void LossesAndAccuracy_LeaveOnlyTheirResults()
    {
        using var g = new Generator(1, CPU);
        using var logits = randn(new long[] { 6, 4 }, generator: g);
        using var labels = tensor(new long[] { 0, 1, 2, 3, 0, 1 });
        using var soft = full(6, 4, 0.25f);
        long baseline = Live;

        var a = Losses.CrossEntropy(logits, labels, 0.1);
        var b = Losses.SoftTargetCrossEntropy(logits, soft);
        var c = Accuracy.AverageViews(logits, 3);
        Assert.Equal(baseline + 3, Live);
        a.Dispose();
        b.Dispose();
        c.Dispose();
        Accuracy.TopK(logits, labels, 2);
        Assert.Equal(baseline, Live);
    }

    [Fact]
    public void ClipNormsAndPreciseBn_LeaveNothing()
    {
        using var g = new Generator(2, CPU);
        using var model = Sequential(("sub", new SubBatchNorm3d(2, 2)), ("bn", BatchNorm3d(2)));
        var batches = Enumerable.Range(0, 3).Select(_ => randn(new long[] { 4, 2, 1, 2, 2 }, generator: g)).ToList();
        foreach (var p in model.parameters())
            p.grad = ones_like(p);
        long baseline = Live;

        GradientClipping.ClipL2(model.parameters(), 0.5);
        PreciseBatchNorm.Recompute(model, batches);
        var sub = (SubBatchNorm3d)model.named_children().First().module;
        sub.Splits = 4;
        sub.AggregateStats();
        model.eval();
        var y = model.call(batches[0]);
        Assert.Equal(baseline + 1, Live);
        y.Dispose();
        Assert.Equal(baseline, Live);
        batches.ForEach(b => b.Dispose());
    }

    [Fact]
    public void CheckpointSaveAndLoad_LeaveNothing()
    {
        using var model = Sequential(("fc", Linear(3, 2)));
        using var optimizer = Optimizers.Create(OptimizerPresets.AdamW30, ParameterGroups.Split(model, null));
        long baseline = Live;

        Checkpoint.Save(_workDir, model, optimizer, new TrainingState { Epoch = 1 });
        Checkpoint.TryLoadLatest(_workDir, model, optimizer);
        Assert.Equal(baseline, Live);
    }
}
