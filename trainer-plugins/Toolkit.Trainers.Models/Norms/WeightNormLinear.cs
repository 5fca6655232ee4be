using Toolkit.Trainers.Models.Flops;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Norms;

/// <summary>
/// A linear layer with weight normalization (Salimans &amp; Kingma 2016; PyTorch's <c>weight_norm(Linear, dim=0)</c>,
/// which TorchSharp lacks): the weight is recomputed on every call as w = g · v / ‖v‖, the norm taken over each output
/// row of v, so its direction (v) and length (g) are learned separately. Parameters <c>weight_g</c> (out × 1),
/// <c>weight_v</c> (out × in) and optionally <c>bias</c> (out); y = x·wᵀ + b on the last dimension of x.
/// </summary>
/// <remarks>
/// FLOPs are reported to an active <see cref="FlopCounter"/> as a linear layer's (prod(input) · out); computing w from
/// g and v is not counted, as fvcore does not count PyTorch's weight-norm op either.
/// </remarks>
public sealed class WeightNormLinear : Module<Tensor, Tensor>
{
    private readonly Parameter _g;
    private readonly Parameter _v;
    private readonly Parameter? _bias;

    /// <summary>
    /// Creates the layer with PyTorch's default linear initialization for v (uniform in ±1/√in), g = ‖v‖ (so w = v at
    /// first) and the bias uniform in ±1/√in, drawn from <paramref name="generator"/> (null: the default generator).
    /// </summary>
    /// <param name="inFeatures">Input features.</param>
    /// <param name="outFeatures">Output features.</param>
    /// <param name="hasBias">Whether the layer adds a bias.</param>
    /// <param name="generator">Random source of the initialization.</param>
    public WeightNormLinear(long inFeatures, long outFeatures, bool hasBias = true, Generator? generator = null) : base(nameof(WeightNormLinear))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1.0 / Math.Sqrt(inFeatures);
        using (no_grad())
        {
            using var v = rand([outFeatures, inFeatures], generator: generator).mul_(2 * bound).sub_(bound);
            using var g = RowNorm(v);
            _v = new Parameter(v.clone());
            _g = new Parameter(g.clone());
            _bias = hasBias ? new Parameter(rand([outFeatures], generator: generator).mul_(2 * bound).sub_(bound)) : null;
        }
        register_parameter("weight_g", _g);
        register_parameter("weight_v", _v);
        if (_bias is not null)
            register_parameter("bias", _bias);
    }

    /// <summary>Input features.</summary>
    public long InFeatures { get; }

    /// <summary>Output features.</summary>
    public long OutFeatures { get; }

    /// <summary>The length parameter g (out × 1).</summary>
    public Parameter G => _g;

    /// <summary>The direction parameter v (out × in).</summary>
    public Parameter V => _v;

    /// <summary>The bias (out), or null.</summary>
    public Parameter? Bias => _bias;

    /// <summary>The effective weight g · v / ‖v‖ (out × in), a new tensor the caller owns.</summary>
    public Tensor Weight()
    {
        using var scope = NewDisposeScope();
        return (_g * _v / RowNorm(_v)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Re-initializes in place: v from a normal distribution with standard deviation <paramref name="std"/> truncated at
    /// ±2 (timm's <c>trunc_normal_</c>), g = ‖v‖ (so w = v), bias 0; all draws from <paramref name="generator"/>.
    /// </summary>
    public void ResetParameters(double std, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            Transformers.ParamInit.TruncNormal(_v, std, generator);
            _g.copy_(RowNorm(_v));
            _bias?.zero_();
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FlopCounter.Record("linear", input.numel() * OutFeatures);
        using var weight = Weight();
        return functional.linear(input, weight, _bias);
    }

    private static Tensor RowNorm(Tensor v)
    {
        using var squares = v.pow(2);
        using var sum = squares.sum(1, keepdim: true);
        return sum.sqrt();
    }
}
