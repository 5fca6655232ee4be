using Toolkit.Trainers.Models.Norms;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Tests.Models.Norms;

[Trait("Category", "Unit")]
public sealed class WeightNormLinearTests
{
    [Fact]
    public void Forward_EqualsLinearWithNormalizedWeight()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(3);
        using var layer = new WeightNormLinear(5, 4, generator: gen);
        using (no_grad())
        {
            layer.G.copy_(tensor(new float[] { 0.5f, 2f, 3f, -1f }).reshape(4, 1));
            layer.V.copy_(randn([4, 5], generator: gen));
        }
        var x = randn([2, 3, 5], generator: gen);
        var w = layer.G * layer.V / layer.V.pow(2).sum(1, keepdim: true).sqrt();
        var expected = matmul(x, w.t()) + layer.Bias!;
        var y = layer.call(x);
        Assert.Equal(new long[] { 2, 3, 4 }, y.shape);
        Assert.True(allclose(y, expected, rtol: 1e-5, atol: 1e-6));
        // each effective row has length |g|
        var rows = layer.Weight().pow(2).sum(1).sqrt();
        Assert.True(allclose(rows, layer.G.abs().squeeze(1), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Forward_ScalingV_LeavesOutputUnchanged()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(4);
        using var layer = new WeightNormLinear(6, 3, generator: gen);
        var x = randn([4, 6], generator: gen);
        var before = layer.call(x).detach().clone();
        using (no_grad())
            layer.V.mul_(tensor(new float[] { 7f, 0.01f, 3f }).reshape(3, 1)); // a different scale per row
        var after = layer.call(x);
        Assert.True(allclose(before, after, rtol: 1e-5, atol: 1e-6));
        using (no_grad())
            layer.G.mul_(2);
        Assert.False(allclose(before, layer.call(x), rtol: 1e-3, atol: 1e-4)); // but g does scale it
    }

    [Fact]
    public void ResetParameters_StartsAtWeightEqualsV_AndGradientsReachGAndV()
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(5);
        using var layer = new WeightNormLinear(8, 2, generator: gen);
        layer.ResetParameters(0.02, gen);
        Assert.True(allclose(layer.Weight(), layer.V, rtol: 1e-5, atol: 1e-7));
        Assert.Equal(0, layer.Bias!.abs().sum().item<float>());
        layer.call(randn([3, 8], generator: gen)).pow(2).sum().backward();
        Assert.NotNull(layer.G.grad);
        Assert.NotNull(layer.V.grad);
        Assert.True(layer.G.grad!.abs().sum().item<float>() > 0);
        Assert.Equal(new[] { "weight_g", "weight_v", "bias" }, layer.named_parameters().Select(p => p.name).ToArray());
    }
}
