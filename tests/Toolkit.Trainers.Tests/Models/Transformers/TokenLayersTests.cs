using Toolkit.Trainers.Models.Transformers;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Tests.Models.Transformers;

[Trait("Category", "Unit")]
public sealed class TokenLayersTests
{
    [Fact]
    public void DropPath_Training_ZeroesWholeSamplesAndScalesSurvivors_EvalIsIdentity()
    {
        using var scope = NewDisposeScope();
        using var drop = new DropPath(0.5, seed: 3);
        var x = ones(64, 5, 4);
        drop.train();
        var y = drop.call(x);
        var perSample = y.reshape(64, -1);
        var first = perSample.select(1, 0);
        Assert.True(perSample.eq(first.unsqueeze(1)).all().item<bool>()); // one decision per sample
        Assert.True(first.eq(0).logical_or(first.eq(2)).all().item<bool>()); // dropped, or kept × 1/(1 − p)
        long kept = first.eq(2).sum().item<long>();
        Assert.InRange(kept, 16, 48);
        using var again = new DropPath(0.5, seed: 3);
        again.train();
        Assert.True(again.call(x).eq(y).all().item<bool>()); // same seed, same draws
        drop.eval();
        Assert.True(drop.call(x).eq(x).all().item<bool>());
    }

    [Fact]
    public void TokenBatchNorm_NormalizesEachChannelOverBatchAndTokens()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(1);
        using var bn = new TokenBatchNorm(3);
        bn.train();
        var x = randn([4, 10, 3], generator: gen) * tensor(new float[] { 1, 5, 20 }) + tensor(new float[] { 3, -2, 7 });
        var y = bn.call(x);
        Assert.Equal(x.shape, y.shape);
        var mean = y.mean([0, 1]);
        var std = y.std([0, 1], unbiased: false);
        Assert.True(allclose(mean, zeros(3), atol: 1e-5));
        Assert.True(allclose(std, ones(3), atol: 1e-3));
    }

    [Theory]
    [InlineData(192 * 0.25, 24, 48)]
    [InlineData(768 * 1.0, 24, 768)]
    [InlineData(5, 24, 24)]
    public void RoundTo_NearestMultiple_AtLeastOne(double value, long divisor, long expected) =>
        Assert.Equal(expected, TokenLayers.RoundTo(value, divisor));
}
