using Toolkit.Trainers.Models;
using Toolkit.Trainers.Models.Stochastic;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Tests.Models.Stochastic;

[Trait("Category", "Unit")]
[Collection(GlobalGeneratorCollection.Name)]
public sealed class SeededDropoutTests
{
    [Fact]
    public void Forward_Training_ZeroesAboutPAndScalesTheRest()
    {
        using var dropout = new SeededDropout(0.3, seed: 5);
        dropout.train();
        using var x = ones(200_000);
        using var y = dropout.call(x);
        double zeros = (y == 0).sum().item<long>() / 200_000.0;
        // Binomial(200000, 0.3): sd of the fraction ≈ 0.001; 5 sd.
        Assert.InRange(zeros, 0.295, 0.305);
        using var kept = y.masked_select(y != 0);
        Assert.True(kept.allclose(full_like(kept, 1 / 0.7)), "survivors are not scaled by 1/(1-p)");
        Assert.Equal(1.0, x.mean().item<float>(), 6); // the input is untouched
    }

    [Fact]
    public void Forward_Eval_IsIdentity()
    {
        using var dropout = new SeededDropout(0.5);
        dropout.eval();
        using var x = randn(4, 8);
        using var y = dropout.call(x);
        Assert.True(y.eq(x).all().item<bool>());
    }

    [Fact]
    public void Reseed_SameSeedSameMask_AndTheGlobalGeneratorIsNeverTouched()
    {
        using var dropout = new SeededDropout(0.5);
        dropout.train();
        using var x = ones(1000);
        random.manual_seed(123);
        using var expectedGlobal = rand(8);
        random.manual_seed(123);
        dropout.Reseed(42);
        using var a = dropout.call(x);
        dropout.Reseed(42);
        using var b = dropout.call(x);
        dropout.Reseed(43);
        using var c = dropout.call(x);
        using var global = rand(8);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
        Assert.True(global.eq(expectedGlobal).all().item<bool>(), "dropout drew from torch's global generator");
    }

    [Fact]
    public void Reseed_Model_ReachesEveryDropoutAndDropPath_ByPositionAndEpoch()
    {
        using var mvit = ModelZoo.Get("mvit-b").Create(new ModelOptions { Width = 0.25, Depth = 0.25, Classes = 3, Dropout = 0.5 });
        int layers = StochasticLayers.Reseed(mvit, seed: 1, epoch: 0);
        Assert.True(layers >= 2, $"expected the head dropout and drop-path layers, found {layers}");
        Assert.NotEqual(StochasticLayers.Mix(1, 0, 0), StochasticLayers.Mix(1, 1, 0));
        Assert.NotEqual(StochasticLayers.Mix(1, 0, 0), StochasticLayers.Mix(1, 0, 1));
        Assert.NotEqual(StochasticLayers.Mix(1, 0, 0), StochasticLayers.Mix(2, 0, 0));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public void Constructor_OutOfRange_NamesTheParameter(double p)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SeededDropout(p));
        Assert.Equal("p", e.ParamName);
    }
}

/// <summary>
/// Tests that watch torch's process-wide generator (to prove the code under test never draws from it) run alone:
/// other tests drawing random tensors in parallel would advance it too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "torch global generator watchers";
}
