using Toolkit.Trainers.Models;
using Toolkit.Trainers.Models.Flops;
using Toolkit.Trainers.Models.Transformers;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Tests.Models.Transformers;

[Trait("Category", "Unit")]
public sealed class MViTTests(ITestOutputHelper output)
{
    private static ModelOptions Tiny(long seed = 0) => new()
    {
        Classes = 7, Width = 0.25, Depth = 0.25, Dropout = 0.5, Seed = seed,
        Transformer = new TransformerOptions { ImageSize = 64, Frames = 8 },
    };

    [Fact]
    public void MViTB_ParamsAndFlops_MatchPublished()
    {
        var size = ModelZoo.Measure(ModelZoo.Get("mvit-b"), new ModelOptions { Classes = 400 });
        output.WriteLine($"mvit-b: backbone {size.BackboneParams} params, GFLOPs train {size.BackboneFlops / 1e9:F3} eval {size.BackboneEvalFlops / 1e9:F3}; "
            + $"with head {size.Params} params, GFLOPs train {size.Flops / 1e9:F3} eval {size.EvalFlops / 1e9:F3}");
        Assert.InRange(size.BackboneParams, 36.30e6 * 0.99, 36.30e6 * 1.01);
        Assert.InRange(size.BackboneFlops, 70.8e9 * 0.99, 70.8e9 * 1.01);
        Assert.Equal(size.BackboneFlops, size.BackboneEvalFlops); // LayerNorm only: no mode
        Assert.Equal(768L * 400 + 400, size.Params - size.BackboneParams);
        Assert.InRange(size.Params, 36.6e6 * 0.99, 36.6e6 * 1.01);
    }

    [Fact]
    public void MViTB_Schedule_IsThePublishedOne()
    {
        using var model = new MViT(new ModelOptions());
        var dims = model.Dims;
        Assert.Equal(16, dims.Count);
        Assert.Equal((96L, 192L, 1L), dims[0]);
        Assert.Equal((192L, 192L, 2L), dims[1]);
        Assert.Equal((192L, 384L, 2L), dims[2]);
        Assert.Equal((384L, 384L, 4L), dims[3]);
        Assert.Equal((384L, 768L, 4L), dims[13]);
        Assert.Equal((768L, 768L, 8L), dims[14]);
        Assert.Equal((768L, 768L, 8L), dims[15]);
    }

    [Fact]
    public void Tiny_TrainsOnCpu_LogitsAndFiniteGradientsOnAllParameters()
    {
        using var scope = NewDisposeScope();
        using var model = new MViT(Tiny(seed: 2));
        Assert.Equal(6, model.Dims.Count); // stages 1, 1, 3, 1 of 1, 2, 11, 2
        Assert.Equal((24L, 48L, 1L), model.Dims[0]);
        Assert.Equal(192L, model.Dims[^1].DimOut);
        model.train();
        using var gen = new Generator(11);
        var x = randn([2, 3, 8, 64, 64], generator: gen);
        var logits = model.call(x);
        Assert.Equal(new long[] { 2, 7 }, logits.shape);
        nn.functional.cross_entropy(logits, tensor(new long[] { 1, 6 })).backward();
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.True(p.grad is not null, $"{name} has no gradient");
            Assert.True(p.grad!.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
        }
        model.eval();
        using var y = model.call(x);
        Assert.True(y.isfinite().all().item<bool>());
        using var other = model.call(randn([1, 3, 16, 96, 96], generator: gen)); // not the built grid: embeddings resized
        Assert.Equal(new long[] { 1, 7 }, other.shape);
    }

    [Fact]
    public void Tiny_FlopsCountPoolingConvsAndAttention()
    {
        using var model = new MViT(Tiny() with { Depth = 0.01 }); // one block per stage
        using var x = zeros(new long[] { 1, 3, 8, 64, 64 });
        model.eval();
        var count = FlopCounter.Measure(model.Backbone, x);
        // grid 4 × 16 × 16. Block 0: 24 wide, 1 head, q 1 + 1024 tokens, k/v pooled by 1 × 8 × 8 to 1 + 4·2·2.
        // Block 1: 48, q pooled by 1 × 2 × 2 to 1 + 4·8·8, k/v by 1 × 4 × 4 to 1 + 4·4·4. Block 2: 96, q 1 + 4·4·4,
        // k/v (1 × 2 × 2 of 8 × 8) 1 + 4·4·4. Block 3: 192, q 1 + 4·2·2, k/v (stride 1 of 4 × 4) 1 + 4·4·4.
        // Each block: q·kᵀ and attn·v, both Lq · Lk · width.
        long matmul = 2L * (1025 * 17 * 24 + 257 * 65 * 48 + 65 * 65 * 96 + 17 * 65 * 192);
        Assert.Equal(matmul, count.ByOperator["matmul"]);
        // patch embedding, then per block the depthwise 3×3×3 pools (weight d·27 per head, batch = heads) by output size
        long patch = 24L * 3 * 3 * 7 * 7 * (4 * 16 * 16);
        long pools = 1L * 24 * 27 * (2 * 16)                    // block 0: k, v (4·2·2), 1 head of 24
            + 2L * 24 * 27 * (256 + 2 * 64)                     // block 1: q (4·8·8), k, v (4·4·4), 2 heads
            + 4L * 24 * 27 * (64 + 2 * 64)                      // block 2: q, k, v (4·4·4), 4 heads
            + 8L * 24 * 27 * (16 + 2 * 64);                     // block 3: q (4·2·2), k, v (4·4·4), 8 heads
        Assert.Equal(patch + pools, count.ByOperator["conv"]);
        Assert.Equal(4, model.Dims.Count);
    }

    [Fact]
    public void Seed_SameSeedSameWeights()
    {
        using var a = new MViT(Tiny(seed: 5));
        using var b = new MViT(Tiny(seed: 5));
        using var c = new MViT(Tiny(seed: 6));
        var pa = a.parameters().ToArray();
        var pb = b.parameters().ToArray();
        var pc = c.parameters().ToArray();
        Assert.All(pa.Zip(pb), p => Assert.True(p.First.eq(p.Second).all().item<bool>()));
        Assert.Contains(pa.Zip(pc), p => !p.First.eq(p.Second).all().item<bool>());
    }

    [Fact]
    public void Variants_OtherThanPublished_AreRefused() =>
        Assert.Throws<NotSupportedException>(() => new MViT(Tiny() with { Transformer = new TransformerOptions { Norm = TokenNorm.BatchNorm } }));
}
