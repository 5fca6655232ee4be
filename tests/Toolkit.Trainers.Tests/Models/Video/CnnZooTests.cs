using System.Collections.Concurrent;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Models.Video;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Tests.Models.Video;

/// <summary>Each full-size architecture measured once (forward passes at 224² take seconds on the CPU).</summary>
public sealed class MeasuredCnns
{
    private readonly ConcurrentDictionary<string, Lazy<ModelSize>> _sizes = new(StringComparer.Ordinal);

    public ModelSize Get(string name) =>
        _sizes.GetOrAdd(name, n => new Lazy<ModelSize>(() => ModelZoo.Measure(ModelZoo.Get(n), new ModelOptions()))).Value;
}

[Trait("Category", "Unit")]
public sealed class CnnZooTests(MeasuredCnns measured) : IClassFixture<MeasuredCnns>
{
    private const double Tolerance = 0.01;

    public static TheoryData<string> Names => ["i3d-r50", "slowonly-r50", "slowfast-r50", "x3d-m"];

    private static ModelOptions Tiny(long seed = 0, Norm3dFactory? norm = null) =>
        new() { Width = 0.125, Depth = 0.34, Classes = 5, Seed = seed, Norm3d = norm };

    private static void AssertWithin(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Tolerance * expected, $"{what}: expected {expected} ± 1 %, got {actual}.");

    [Theory]
    // SPEC §5 (backbone, training-mode batch norm) and the model cards (with the 400-class head).
    [InlineData("i3d-r50", 27.22, 16.74, 28.04)]
    [InlineData("slowonly-r50", 31.63, 84.36, 32.45)]
    [InlineData("slowfast-r50", 33.64, 51.0, 34.57)]
    [InlineData("x3d-m", 2.09, 5.15, 3.79)]
    public void Measure_FullSize_MatchesPublishedFigures(string name, double backboneParamsM, double backboneGFlops, double paramsM)
    {
        var size = measured.Get(name);
        AssertWithin(backboneParamsM, size.BackboneParams / 1e6, $"{name} backbone params (M)");
        AssertWithin(backboneGFlops, size.BackboneFlops / 1e9, $"{name} backbone GFLOPs");
        AssertWithin(paramsM, size.Params / 1e6, $"{name} params with head (M)");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Measure_EvalMode_CountsFewerFlopsThanTraining(string name)
    {
        var size = measured.Get(name);
        Assert.True(size.BackboneEvalFlops < size.BackboneFlops, $"{name}: eval {size.BackboneEvalFlops} vs train {size.BackboneFlops}");
        Assert.True(size.EvalFlops < size.Flops);
        Assert.True(size.Flops > size.BackboneFlops, "the head's linear layer adds FLOPs");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Tiny_ForwardBackward_GivesLogitsAndGradientsOnEveryParameter(string name)
    {
        using var scope = NewDisposeScope();
        using var model = ModelZoo.Get(name).Create(Tiny());
        model.train();
        using var generator = new Generator(7);
        var x = randn(new long[] { 2, 3, 8, 64, 64 }, generator: generator);
        var logits = model.call(x);
        Assert.Equal(new long[] { 2, 5 }, logits.shape);
        functional.cross_entropy(logits, tensor(new long[] { 1, 3 })).backward();
        foreach (var (parameter, p) in model.named_parameters())
        {
            Assert.True(p.grad is not null, $"{name}: no gradient on {parameter}");
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"{name}: zero gradient on {parameter}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Tiny_FewAdamSteps_LowerTheLossOnOneBatch(string name)
    {
        using var scope = NewDisposeScope();
        using var model = ModelZoo.Get(name).Create(Tiny() with { Dropout = 0 });
        model.train();
        using var generator = new Generator(5);
        var x = randn(new long[] { 2, 3, 8, 64, 64 }, generator: generator);
        var y = tensor(new long[] { 0, 4 });
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        float first = 0, last = 0;
        for (int step = 0; step < 8; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0)
                first = last;
        }
        Assert.True(last < first, $"{name}: loss {first} -> {last}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Create_SameSeed_SameWeights_OtherSeed_OtherWeights(string name)
    {
        using var scope = NewDisposeScope();
        var entry = ModelZoo.Get(name);
        using var a = entry.Create(Tiny(seed: 11));
        using var b = entry.Create(Tiny(seed: 11));
        using var c = entry.Create(Tiny(seed: 12));
        var pa = a.named_parameters().ToList();
        var pb = b.named_parameters().ToList();
        var pc = c.named_parameters().ToList();
        Assert.Equal(pa.Count, pb.Count);
        for (int i = 0; i < pa.Count; i++)
        {
            Assert.Equal(pa[i].name, pb[i].name);
            Assert.True(pa[i].parameter.allclose(pb[i].parameter, rtol: 0, atol: 0), $"{name}: {pa[i].name} differs with the same seed");
        }
        // Convolutions and linear layers are drawn from the seed: another seed changes every one of them.
        var drawn = Enumerable.Range(0, pa.Count).Where(i => pa[i].parameter.dim() > 1).ToList();
        Assert.NotEmpty(drawn);
        Assert.All(drawn, i => Assert.False(pa[i].parameter.allclose(pc[i].parameter, rtol: 0, atol: 0), $"{name}: {pa[i].name} same with another seed"));
    }

    [Theory]
    // Norms of the full-size models: ResNet-50 53 (stem, 16 blocks × 3, 4 shortcuts), SlowFast two of those,
    // X3D-M 84 (stem, 3 + 5 + 11 + 7 = 26 blocks × 3, 4 shortcuts, conv5).
    [InlineData("i3d-r50", 53)]
    [InlineData("slowonly-r50", 53)]
    [InlineData("slowfast-r50", 106)]
    [InlineData("x3d-m", 84)]
    public void Create_WithNorm3d_BuildsEveryNormThroughTheFactory(string name, int norms)
    {
        var made = new List<Module<Tensor, Tensor>>();
        Module<Tensor, Tensor> Factory(long channels)
        {
            var norm = BatchNorm3d(channels);
            made.Add(norm);
            return norm;
        }

        using var model = ModelZoo.Get(name).Create(new ModelOptions { Norm3d = Factory });
        var inModel = model.modules().OfType<BatchNorm3d>().ToList();
        Assert.Equal(norms, made.Count);
        Assert.Equal(norms, inModel.Count);
        Assert.All(inModel, m => Assert.Contains(m, made));
    }

    [Fact]
    public void SlowFast_FrameCountNotDivisibleByTau_ThrowsNamingTau()
    {
        using var scope = NewDisposeScope();
        using var model = SlowFast.R50(Tiny());
        var ex = Assert.Throws<ArgumentException>(() => model.call(zeros(new long[] { 1, 3, 6, 64, 64 })));
        Assert.Contains("τ = 4", ex.Message);
    }

    [Fact]
    public void SlowFastHead_FoldedFeatures_AverageEachPathwayAsMmaction2()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        const long alpha = 4;
        var slow = randn(new long[] { 2, 16, 2, 3, 3 }, generator: generator);
        var fast = randn(new long[] { 2, 8, 2 * alpha, 3, 3 }, generator: generator);
        var folded = fast.view(2, 8, 2, alpha, 3, 3).permute(0, 1, 3, 2, 4, 5).reshape(2, 8 * alpha, 2, 3, 3);
        using var head = new SlowFastHead(16, 8, alpha, classes: 5, dropoutRate: 0);
        head.eval();
        var fc = (Linear)head.named_children().Single(c => c.name == "fc").module;
        var expected = fc.call(cat([fast.mean([2, 3, 4]), slow.mean([2, 3, 4])], 1)); // fast first, as mmaction2
        Assert.True(head.call(cat([slow, folded], 1)).allclose(expected, rtol: 1e-5, atol: 1e-6));
    }
}
