using Toolkit.Trainers.Models.Stochastic;
using Toolkit.Trainers.Models.Flops;
using Toolkit.Trainers.Models.Norms;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Transformers;

/// <summary>
/// BatchNorm over the channels of a token sequence N × L × C: statistics over batch × tokens (BatchNorm1d on the
/// transposed N × C × L), so the FLOP counter sees a batch norm of N·L·C elements.
/// </summary>
internal sealed class TokenBatchNorm : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> bn;

    public TokenBatchNorm(long channels) : base(nameof(TokenBatchNorm))
    {
        bn = BatchNorm1d(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var t = input.transpose(1, 2);
        using var y = bn.call(t);
        return y.transpose(1, 2);
    }
}

/// <summary>
/// Stochastic depth per sample (timm <c>DropPath</c>): in training mode each sample's residual branch is zeroed with
/// probability p and the survivors scaled by 1/(1−p); identity in eval mode or when p is 0. The per-sample draws come
/// from the layer's own CPU generator, seeded at construction and by <see cref="StochasticLayers.Reseed"/> (never the
/// global RNG).
/// </summary>
internal sealed class DropPath : Module<Tensor, Tensor>, IStochasticLayer
{
    private readonly Generator generator;

    public DropPath(double p, ulong seed) : base(nameof(DropPath))
    {
        P = p;
        generator = new Generator(seed);
    }

    public double P { get; }

    public void Reseed(ulong seed) => generator.manual_seed(unchecked((long)seed));

    public override Tensor forward(Tensor input)
    {
        if (!training || P == 0)
            return input.alias();
        using var scope = NewDisposeScope();
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        var keep = rand([input.shape[0]], generator: generator).lt(1 - P).to(input.dtype).div_(1 - P);
        return (input * keep.to(input.device).view(shape)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            generator.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Builders of the layers a <see cref="TransformerOptions"/> variant chooses.</summary>
internal static class TokenLayers
{
    /// <summary>LayerNorm (eps 1e-6, timm DeiT / pytorchvideo MViT) or <see cref="TokenBatchNorm"/> over <paramref name="dim"/> channels.</summary>
    public static Module<Tensor, Tensor> Norm(TransformerOptions o, long dim) =>
        o.Norm == TokenNorm.BatchNorm ? new TokenBatchNorm(dim) : LayerNorm(dim, eps: 1e-6);

    /// <summary>GELU or ReLU6.</summary>
    public static Module<Tensor, Tensor> Activation(TransformerOptions o) =>
        o.ResolvedActivation == TokenActivation.Relu6 ? ReLU6() : GELU();

    /// <summary>A linear layer, weight-normalized when the variant says so.</summary>
    public static Module<Tensor, Tensor> Linear(TransformerOptions o, long inFeatures, long outFeatures, bool bias = true) =>
        o.ResolvedWeightNorm ? new WeightNormLinear(inFeatures, outFeatures, bias) : nn.Linear(inFeatures, outFeatures, bias);

    /// <summary>
    /// softmax(q·kᵀ · scale)·v for q (B, h, Lq, d), k and v (B, h, Lk, d): both products through
    /// <see cref="CountedOps.Matmul"/>, so they are counted as fvcore counts them (explicit softmax, no fused kernel).
    /// </summary>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, double scale)
    {
        using var scope = NewDisposeScope();
        var attn = CountedOps.Matmul(q, k.transpose(-2, -1)).mul_(scale).softmax(-1);
        return CountedOps.Matmul(attn, v).MoveToOuterDisposeScope();
    }

    /// <summary>Drop-path rate of block <paramref name="i"/> of <paramref name="depth"/> (linear from 0 to <paramref name="rate"/>, as torch.linspace).</summary>
    public static double DropPathRate(double rate, int i, int depth) => depth <= 1 ? 0 : rate * i / (depth - 1);

    /// <summary><paramref name="value"/> rounded to a multiple of <paramref name="divisor"/>, at least <paramref name="divisor"/>.</summary>
    public static long RoundTo(double value, long divisor) => Math.Max(divisor, (long)Math.Round(value / divisor, MidpointRounding.AwayFromZero) * divisor);

    /// <summary>A block count scaled by the depth multiplier, at least 1.</summary>
    public static int ScaleDepth(int blocks, double depth) => Math.Max(1, (int)Math.Round(blocks * depth, MidpointRounding.AwayFromZero));

    /// <summary>Least common multiple.</summary>
    public static long Lcm(long a, long b)
    {
        long x = a, y = b;
        while (y != 0)
            (x, y) = (y, x % y);
        return a / x * b;
    }
}

/// <summary>Two-layer MLP: linear, activation, linear (dropout 0, as the published models).</summary>
internal sealed class TokenMlp : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> fc1;
    private readonly Module<Tensor, Tensor> act;
    private readonly Module<Tensor, Tensor> fc2;

    public TokenMlp(TransformerOptions o, long dim, long hidden, long outDim) : base(nameof(TokenMlp))
    {
        fc1 = TokenLayers.Linear(o, dim, hidden);
        act = TokenLayers.Activation(o);
        fc2 = TokenLayers.Linear(o, hidden, outDim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var h = fc1.call(input);
        using var a = act.call(h);
        return fc2.call(a);
    }
}
