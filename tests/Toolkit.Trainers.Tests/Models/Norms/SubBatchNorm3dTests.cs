using Toolkit.Trainers.Models.Norms;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Tests.Models.Norms;

[Trait("Category", "Unit")]
public sealed class SubBatchNorm3dTests
{
    // N = 4 samples, C = 2 channels, T = H = W = 1. Channel 0 holds 1, 10, 3, 20; channel 1 twice that.
    private static Tensor Example() =>
        tensor(new float[] { 1, 2, 10, 20, 3, 6, 20, 40 }).view(4, 2, 1, 1, 1);

    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void WorkedExample_TrainingNormalizesPerSplit_EvalUsesAggregatedStats()
    {
        using var scope = NewDisposeScope();
        using var norm = new SubBatchNorm3d(2, splits: 2, eps: 1e-5, momentum: 0.1);
        using (no_grad())
        {
            norm.Weight.fill_(2);
            norm.Bias.fill_(0.5);
        }

        norm.train();
        var y = Values(norm.call(Example()));
        // Split 0 = samples 0, 2 (n % 2 == 0): channel 0 {1, 3}, mean 2, biased var 1 → −1, +1.
        // Split 1 = samples 1, 3: {10, 20}, mean 15, biased var 25 → −1, +1. Then ·2 + 0.5.
        float[] expected = [-1.5f, -1.5f, -1.5f, -1.5f, 2.5f, 2.5f, 2.5f, 2.5f];
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], y[i], 3);

        // Running stats (momentum 0.1, unbiased var): split means 0.2, 1.5; split vars 0.9 + 0.1·2 = 1.1, 0.9 + 0.1·50 = 5.9.
        var splitMean = Values(norm.SplitRunningMean);
        var splitVar = Values(norm.SplitRunningVar);
        Assert.Equal([0.2f, 0.4f, 1.5f, 3.0f], splitMean.Select(v => MathF.Round(v, 5)));
        Assert.Equal(1.1f, splitVar[0], 5);
        Assert.Equal(5.9f, splitVar[2], 5);

        // Aggregated: mean (0.2 + 1.5) / 2 = 0.85; var (1.1 + 5.9) / 2 + ((0.2 − 0.85)² + (1.5 − 0.85)²) / 2 = 3.9225.
        norm.eval();
        Assert.Equal(0.85f, Values(norm.RunningMean)[0], 5);
        Assert.Equal(3.9225f, Values(norm.RunningVar)[0], 4);
        Assert.Equal(1.7f, Values(norm.RunningMean)[1], 5);       // channel 1: means doubled
        // channel 1: split vars 0.9 + 0.1·8 = 1.7 and 0.9 + 0.1·200 = 20.9 → 11.3 + ((0.4 − 1.7)² + (3 − 1.7)²) / 2 = 12.99
        Assert.Equal(12.99f, Values(norm.RunningVar)[1], 3);

        float sd = MathF.Sqrt(3.9225f + 1e-5f);
        float sd1 = MathF.Sqrt(12.99f + 1e-5f);
        var probe = tensor(new float[] { 0.85f, 1.7f, 0.85f + sd, 1.7f - sd1 }).view(2, 2, 1, 1, 1);
        var z = Values(norm.call(probe));
        Assert.Equal(0.5f, z[0], 4);  // at the mean: the bias
        Assert.Equal(0.5f, z[1], 4);
        Assert.Equal(2.5f, z[2], 3);  // one sd above: weight + bias
        Assert.Equal(-1.5f, z[3], 3); // one sd below
    }

    [Fact]
    public void OneSplit_EqualsBatchNorm3d()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(3, CPU);
        var x = randn(new long[] { 6, 3, 2, 4, 4 }, generator: gen) * 3 + 1;
        using var sub = new SubBatchNorm3d(3, 1);
        using var bn = BatchNorm3d(3);
        Assert.True(sub.call(x).allclose(bn.call(x), rtol: 1e-4, atol: 1e-5));
        Assert.True(sub.SplitRunningMean.allclose(bn.running_mean!, atol: 1e-6));
        Assert.True(sub.SplitRunningVar.allclose(bn.running_var!, atol: 1e-5));
    }

    [Fact]
    public void BatchNotDivisible_FallsBackToOneSplit()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(5, CPU);
        var x = randn(new long[] { 3, 2, 1, 2, 2 }, generator: gen);
        using var sub = new SubBatchNorm3d(2, 2);
        using var bn = BatchNorm3d(2);
        Assert.True(sub.call(x).allclose(bn.call(x), rtol: 1e-4, atol: 1e-5));
        // Every split saw the whole batch.
        Assert.True(sub.SplitRunningMean.view(2, 2)[0].allclose(bn.running_mean!, atol: 1e-6));
        Assert.True(sub.SplitRunningMean.view(2, 2)[1].allclose(bn.running_mean!, atol: 1e-6));
        Assert.True(sub.SplitRunningVar.view(2, 2)[1].allclose(bn.running_var!, atol: 1e-5));
    }

    [Fact]
    public void ChangingSplits_AggregatesThenReseedsEverySplit()
    {
        using var scope = NewDisposeScope();
        using var norm = new SubBatchNorm3d(2, 2, momentum: 1.0);
        norm.call(Example());
        norm.Splits = 4;
        Assert.Equal([8L], norm.SplitRunningMean.shape);
        var mean = Values(norm.SplitRunningMean);
        // momentum 1: split means 2 and 15 → aggregate 8.5 for channel 0, 17 for channel 1, copied to the 4 splits.
        Assert.Equal([8.5f, 17f, 8.5f, 17f, 8.5f, 17f, 8.5f, 17f], mean);
        Assert.Equal(8.5f, Values(norm.RunningMean)[0]);
        // split vars 2 and 50 (unbiased) → 26 + ((2 − 8.5)² + (15 − 8.5)²) / 2 = 68.25
        Assert.Equal(68.25f, Values(norm.SplitRunningVar)[6], 4);
        norm.call(randn(new long[] { 8, 2, 1, 1, 1 }, generator: new Generator(1, CPU))); // 4 splits of 2 samples
        Assert.Equal("Splits", Assert.Throws<ArgumentOutOfRangeException>(() => norm.Splits = 0).ParamName);
    }

    [Fact]
    public void StateDict_AndFactory()
    {
        using var norm = (SubBatchNorm3d)SubBatchNorm3d.Factory(3)(4);
        Assert.Equal(3, norm.Splits);
        Assert.Equal(4, norm.Channels);
        Assert.Equal(["weight", "bias"], norm.named_parameters().Select(p => p.name));
        var keys = norm.state_dict().Keys.Order().ToArray();
        Assert.Equal(["bias", "running_mean", "running_var", "split_running_mean", "split_running_var", "weight"], keys);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => norm.call(zeros(new long[] { 2, 3, 1, 1, 1 }))).ParamName);
        Assert.Equal("splits", Assert.Throws<ArgumentOutOfRangeException>(() => SubBatchNorm3d.Factory(0)).ParamName);
    }

    [Fact]
    public void ParentEval_AggregatesChildStats()
    {
        using var scope = NewDisposeScope();
        using var norm = new SubBatchNorm3d(2, 2, momentum: 1.0);
        using var model = Sequential(("norm", norm));
        model.train();
        model.call(Example());
        model.eval();
        Assert.False(norm.training);
        Assert.Equal(8.5f, Values(norm.RunningMean)[0], 5);
        Assert.Equal(68.25f, Values(norm.RunningVar)[0], 3);
    }

    [Fact]
    public void ToFloat64_MovesParametersAndBuffers_AndStillWorks()
    {
        using var scope = NewDisposeScope();
        using var norm = new SubBatchNorm3d(2, 2);
        norm.to(ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, norm.Weight.dtype);
        Assert.Equal(ScalarType.Float64, norm.SplitRunningMean.dtype);
        var y = norm.call(Example().to(ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, y.dtype);
        norm.Splits = 1;
        Assert.Equal(ScalarType.Float64, norm.SplitRunningVar.dtype);
        norm.eval();
        Assert.Equal(ScalarType.Float64, norm.call(Example().to(ScalarType.Float64)).dtype);
    }
}
