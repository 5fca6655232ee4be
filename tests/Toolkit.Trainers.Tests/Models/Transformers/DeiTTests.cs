using Toolkit.Trainers.Models;
using Toolkit.Trainers.Models.Flops;
using Toolkit.Trainers.Models.Transformers;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Tests.Models.Transformers;

[Trait("Category", "Unit")]
public sealed class DeiTTests(ITestOutputHelper output)
{
    private static readonly ModelOptions ImageNet = new() { Classes = 1000, Dropout = 0 };

    private static ModelOptions Tiny(TransformerOptions? t = null, long seed = 0) => new()
    {
        Classes = 5, Width = 0.25, Depth = 0.25, Dropout = 0.1, Seed = seed,
        Transformer = (t ?? new TransformerOptions()) with { ImageSize = 64 },
    };

    // timm's counts (deit_{tiny,small,base}_patch16_224 with the 1000-class head); the cards round them to 5.7 / 22.1 / 86.6 M.
    [Theory]
    [InlineData("deit-ti", 5.7e6, 5_717_416L)]
    [InlineData("deit-s", 22.1e6, 22_050_664L)]
    [InlineData("deit-b", 86.6e6, 86_567_656L)]
    public void Params_With1000Classes_MatchPublished(string name, double published, long timm)
    {
        var size = ModelZoo.Measure(ModelZoo.Get(name), ImageNet);
        output.WriteLine($"{name}: params {size.Params} (backbone {size.BackboneParams}), GFLOPs train {size.Flops / 1e9:F3} eval {size.EvalFlops / 1e9:F3}, backbone {size.BackboneFlops / 1e9:F3} / {size.BackboneEvalFlops / 1e9:F3}");
        Assert.InRange(size.Params, published * 0.99, published * 1.01);
        Assert.Equal(timm, size.Params);
        Assert.Equal(size.BackboneFlops, size.BackboneEvalFlops); // LayerNorm has no mode
    }

    [Fact]
    public void Head_IsDropoutAndLinear_BackboneHoldsTheRest()
    {
        using var model = new DeiT(DeiTSize.Tiny, ImageNet);
        Assert.Equal(192L * 1000 + 1000, FlopCounter.Parameters(model.Head));
        Assert.Equal(FlopCounter.Parameters(model), FlopCounter.Parameters(model.Backbone) + FlopCounter.Parameters(model.Head));
        Assert.Equal(12, model.Blocks);
        Assert.Equal(192, model.Dim);
    }

    [Fact]
    public void Flops_DeiTTi_CountAttentionMatmulsAsFvcore()
    {
        using var model = new DeiT(DeiTSize.Tiny, ImageNet);
        using var x = zeros(1, 3, 224, 224);
        model.eval();
        var count = FlopCounter.Measure(model.Backbone, x);
        // q·kᵀ and attn·v: 2 · heads · L · L · d per block, L = 197, heads · d = 192
        Assert.Equal(12L * 2 * 197 * 197 * 192, count.ByOperator["matmul"]);
        Assert.Equal(1L * 192 * 3 * 16 * 16 * 14 * 14, count.ByOperator["conv"]);
        Assert.Equal(12L * 197 * (192 * 576 + 192 * 192 + 2 * 192 * 768), count.ByOperator["linear"]);
        Assert.Equal(25L * 197 * 192 * 5, count.ByOperator["layer_norm"]);
    }

    [Fact]
    public void Flops_BatchNormVariant_Counts5InTrainingAnd2InEval()
    {
        var options = ImageNet with { Transformer = new TransformerOptions { Norm = TokenNorm.BatchNorm } };
        using var model = new DeiT(DeiTSize.Tiny, options);
        using var x = zeros(2, 3, 224, 224);
        model.train();
        var train = FlopCounter.Measure(model.Backbone, x);
        model.eval();
        var eval = FlopCounter.Measure(model.Backbone, x);
        long elements = 25L * 2 * 197 * 192; // 2 norms per block + the final norm
        Assert.Equal(elements * 5, train.ByOperator["batch_norm"]);
        Assert.Equal(elements * 2, eval.ByOperator["batch_norm"]);
        Assert.DoesNotContain("layer_norm", train.ByOperator.Keys);
        Assert.Equal(train.Total - elements * 3, eval.Total);
        // weight norm (on by default with BN) keeps the linear count and adds one g per output row
        Assert.Equal(12L * 2 * 197 * (192 * 576 + 192 * 192 + 2 * 192 * 768), train.ByOperator["linear"]);
        Assert.Equal(5_717_416L + 12 * (576 + 192 + 768 + 192), FlopCounter.Parameters(model));
    }

    public static TheoryData<TokenNorm, TokenActivation, bool, bool> Variants()
    {
        var data = new TheoryData<TokenNorm, TokenActivation, bool, bool>();
        foreach (var norm in new[] { TokenNorm.LayerNorm, TokenNorm.BatchNorm })
            foreach (var act in new[] { TokenActivation.Gelu, TokenActivation.Relu6 })
                foreach (var wn in new[] { false, true })
                    foreach (var pre in new[] { true, false })
                        data.Add(norm, act, wn, pre);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_Tiny_GivesLogitsAndFiniteGradientsOnAllParameters(TokenNorm norm, TokenActivation act, bool weightNorm, bool preNorm)
    {
        using var scope = NewDisposeScope();
        var t = new TransformerOptions { Norm = norm, Activation = act, WeightNorm = weightNorm, PreNorm = preNorm, DropPath = 0.1 };
        using var model = new DeiT(DeiTSize.Tiny, Tiny(t, seed: 1));
        Assert.Equal(48, model.Dim);
        Assert.Equal(3, model.Blocks);
        model.train();
        using var gen = new Generator(9);
        var x = randn([4, 3, 64, 64], generator: gen);
        var logits = model.call(x);
        Assert.Equal(new long[] { 4, 5 }, logits.shape);
        nn.functional.cross_entropy(logits, tensor(new long[] { 0, 1, 2, 3 })).backward();
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.True(p.grad is not null, $"{name} has no gradient");
            Assert.True(p.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
        }
        Assert.Equal(weightNorm, model.named_parameters().Any(p => p.name.EndsWith("weight_g", StringComparison.Ordinal)));
        Assert.Equal(norm == TokenNorm.BatchNorm, model.modules().Any(m => m is TorchSharp.Modules.BatchNorm1d));
        Assert.Equal(act == TokenActivation.Relu6, model.modules().Any(m => m is TorchSharp.Modules.ReLU6));
        model.eval();
        Assert.True(model.call(x).isfinite().all().item<bool>());
    }

    [Fact]
    public void Defaults_BatchNormImpliesRelu6AndWeightNorm()
    {
        var bn = new TransformerOptions { Norm = TokenNorm.BatchNorm };
        Assert.Equal(TokenActivation.Relu6, bn.ResolvedActivation);
        Assert.True(bn.ResolvedWeightNorm);
        Assert.False((bn with { WeightNorm = false }).ResolvedWeightNorm);
        Assert.True(new TransformerOptions().IsPublishedDefault);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeiT(DeiTSize.Tiny, Tiny(new TransformerOptions { DropPath = 1.5 })));
    }

    [Fact]
    public void Seed_SameSeedSameWeights_OtherSeedOtherWeights()
    {
        using var a = new DeiT(DeiTSize.Tiny, Tiny(seed: 7));
        using var b = new DeiT(DeiTSize.Tiny, Tiny(seed: 7));
        using var c = new DeiT(DeiTSize.Tiny, Tiny(seed: 8));
        var pa = a.named_parameters().ToArray();
        var pb = b.named_parameters().ToArray();
        var pc = c.named_parameters().ToArray();
        for (int i = 0; i < pa.Length; i++)
        {
            Assert.Equal(pa[i].name, pb[i].name);
            Assert.True(Same(pa[i].parameter, pb[i].parameter), $"{pa[i].name} differs for the same seed");
        }
        Assert.False(Same(pa.Single(p => p.name == "backbone.pos_embed").parameter, pc.Single(p => p.name == "backbone.pos_embed").parameter));
        Assert.False(Same(pa.Single(p => p.name == "head.fc.weight").parameter, pc.Single(p => p.name == "head.fc.weight").parameter));
        // timm's initialization: linear std 0.02, biases 0, norms 1 / 0
        var fc = pa.Single(p => p.name == "head.fc.weight").parameter;
        Assert.InRange(fc.std().item<float>(), 0.015, 0.025);
        Assert.Equal(0, pa.Single(p => p.name == "head.fc.bias").parameter.abs().sum().item<float>());
        Assert.Equal(1, pa.Single(p => p.name == "backbone.norm.weight").parameter.mean().item<float>());
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Input_OtherThanBuiltSize_InterpolatesPositionEmbedding()
    {
        using var model = new DeiT(DeiTSize.Tiny, Tiny());
        model.eval();
        using var x = zeros(2, 3, 96, 96); // built for 64 (4 × 4 tokens), run at 6 × 6
        using var y = model.call(x);
        Assert.Equal(new long[] { 2, 5 }, y.shape);
        Assert.True(y.isfinite().all().item<bool>());
    }
}
