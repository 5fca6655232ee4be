using Toolkit.Trainers.Models.Norms;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Transformers;

/// <summary>
/// Deterministic initializers drawing only from a given <see cref="Generator"/> through <c>torch.rand(…, generator)</c>.
/// TorchSharp's <c>nn.init</c> functions take a generator argument, but the sources we read do not pass it to libtorch
/// (they would draw from the global RNG), so the models do not rely on them.
/// </summary>
internal static class ParamInit
{
    /// <summary>Fills <paramref name="tensor"/> in place from N(0, std²) truncated to [a, b] (absolute bounds, as timm's <c>trunc_normal_</c>).</summary>
    public static void TruncNormal(Tensor tensor, double std, Generator generator, double a = -2, double b = 2)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        double lo = NormalCdf(a / std), hi = NormalCdf(b / std);
        var u = rand(tensor.shape, dtype: ScalarType.Float64, generator: generator);
        var x = u.mul_(2 * hi - 2 * lo).add_(2 * lo - 1).clamp_(-1 + 1e-12, 1 - 1e-12).erfinv_().mul_(std * Math.Sqrt(2)).clamp_(a, b);
        tensor.copy_(x);
    }

    /// <summary>Fills <paramref name="tensor"/> in place from U(low, high).</summary>
    public static void Uniform(Tensor tensor, double low, double high, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        tensor.copy_(rand(tensor.shape, dtype: ScalarType.Float64, generator: generator).mul_(high - low).add_(low));
    }

    /// <summary>
    /// timm / pytorchvideo transformer initialization of every layer of <paramref name="root"/>, in registration order:
    /// linear weights truncated normal (std 0.02) and biases 0; LayerNorm and BatchNorm weight 1, bias 0; convolutions
    /// PyTorch's default (uniform in ±1/√fan-in for weight and bias), here drawn from <paramref name="generator"/>.
    /// </summary>
    public static void InitLayers(Module root, Generator generator)
    {
        using var _ = no_grad();
        foreach (var m in root.modules().Prepend(root))
        {
            switch (m)
            {
                case Linear l:
                    TruncNormal(l.weight!, 0.02, generator);
                    l.bias?.zero_();
                    break;
                case WeightNormLinear w:
                    w.ResetParameters(0.02, generator);
                    break;
                case TorchSharp.Modules.LayerNorm or TorchSharp.Modules.BatchNorm1d:
                    m.get_parameter("weight")?.fill_(1.0);
                    m.get_parameter("bias")?.zero_();
                    break;
                case TorchSharp.Modules.Conv2d or TorchSharp.Modules.Conv3d:
                    var weight = m.get_parameter("weight")!;
                    long fanIn = weight.numel() / weight.shape[0];
                    double bound = 1.0 / Math.Sqrt(fanIn);
                    Uniform(weight, -bound, bound, generator);
                    if (m.get_parameter("bias") is { } bias)
                        Uniform(bias, -bound, bound, generator);
                    break;
            }
        }
    }

    private static double NormalCdf(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    // Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), enough for truncation bounds.
    private static double Erf(double x)
    {
        double sign = Math.Sign(x);
        x = Math.Abs(x);
        double t = 1 / (1 + 0.3275911 * x);
        double y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }
}
