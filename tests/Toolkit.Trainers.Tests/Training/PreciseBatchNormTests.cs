using Toolkit.Trainers.Models.Norms;
using Toolkit.Trainers.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Tests.Training;

[Trait("Category", "Unit")]
public sealed class PreciseBatchNormTests
{
    private static List<Tensor> Batches(int count, long seed)
    {
        using var gen = new Generator((ulong)seed, CPU);
        // Each batch has its own offset, so an exponential average would differ clearly from the true mean.
        return [.. Enumerable.Range(0, count).Select(i => randn(new long[] { 4, 2, 2, 3, 3 }, generator: gen) * (1 + i) + 3 * i)];
    }

    [Fact]
    public void Recompute_BatchNorm_RunningMeanIsExactDataMean_MomentumAndModeRestored()
    {
        using var scope = NewDisposeScope();
        using var model = Sequential(("bn", BatchNorm3d(2)));
        var bn = (BatchNorm3d)model.named_children().Single().module;
        model.eval();
        var batches = Batches(5, 1);

        Assert.Equal(5, PreciseBatchNorm.Recompute(model, batches));

        var all = cat(batches, 0);
        var exactMean = all.mean([0, 2, 3, 4]);
        var meanOfBatchVars = stack(batches.Select(b => b.var([0, 2, 3, 4], unbiased: true))).mean([0]);
        Assert.True(bn.running_mean!.allclose(exactMean, atol: 1e-5), $"{bn.running_mean!.ToString(TorchSharp.TensorStringStyle.Julia)} vs {exactMean.ToString(TorchSharp.TensorStringStyle.Julia)}");
        Assert.True(bn.running_var!.allclose(meanOfBatchVars, rtol: 1e-4));
        Assert.Equal(0.1, bn.momentum);
        Assert.False(model.training);
    }

    [Fact]
    public void Recompute_MaxBatches_UsesOnlyTheFirst()
    {
        using var scope = NewDisposeScope();
        using var model = Sequential(("bn", BatchNorm3d(2)));
        var bn = (BatchNorm3d)model.named_children().Single().module;
        var batches = Batches(5, 2);
        Assert.Equal(2, PreciseBatchNorm.Recompute(model, batches, maxBatches: 2));
        Assert.True(bn.running_mean!.allclose(cat(batches.Take(2).ToList(), 0).mean([0, 2, 3, 4]), atol: 1e-5));
        Assert.True(model.training);
        Assert.Equal("maxBatches", Assert.Throws<ArgumentOutOfRangeException>(() => PreciseBatchNorm.Recompute(model, batches, 0)).ParamName);
    }

    [Fact]
    public void Recompute_SubBatchNorm_AggregatedMeanIsExactDataMean()
    {
        using var scope = NewDisposeScope();
        using var sub = new SubBatchNorm3d(2, 2);
        using var model = Sequential(("sub", sub));
        model.eval();
        var batches = Batches(4, 3);
        PreciseBatchNorm.Recompute(model, batches);
        var exactMean = cat(batches, 0).mean([0, 2, 3, 4]);
        Assert.True(sub.RunningMean.allclose(exactMean, atol: 1e-5));
        // Split 0 holds samples 0 and 2 of every batch.
        var split0 = cat(batches.Select(b => b.index_select(0, tensor(new long[] { 0, 2 }))).ToList(), 0).mean([0, 2, 3, 4]);
        Assert.True(sub.SplitRunningMean.view(2, 2)[0].allclose(split0, atol: 1e-5));
        Assert.Equal(0.1, sub.Momentum);
    }
}
