using Toolkit.Trainers.Models.Stochastic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Video;

/// <summary>
/// What every 3-D CNN builder needs from <see cref="ModelOptions"/>: the norm layer, the channel and depth multipliers.
/// At <c>Width = 1</c> and <c>Depth = 1</c> channels and block counts are the published ones, untouched.
/// </summary>
internal sealed class CnnScale
{
    private readonly ModelOptions _options;

    public CnnScale(ModelOptions options) => _options = options;

    /// <summary>The options the model was built with.</summary>
    public ModelOptions Options => _options;

    /// <summary>Norm over <paramref name="channels"/>: <see cref="ModelOptions.Norm3d"/> when set, else BatchNorm3d.</summary>
    public Module<Tensor, Tensor> Norm(long channels) =>
        _options.Norm3d is { } factory ? factory(channels) : BatchNorm3d(channels);

    /// <summary>Channels scaled by <see cref="ModelOptions.Width"/>, rounded to a multiple of 8 (at least 8); exact at width 1.</summary>
    public long Channels(long published)
    {
        if (_options.Width == 1.0)
            return published;
        return Math.Max(8, (long)Math.Round(published * _options.Width / 8.0, MidpointRounding.AwayFromZero) * 8);
    }

    /// <summary>Blocks of a stage scaled by <see cref="ModelOptions.Depth"/> (at least 1); exact at depth 1.</summary>
    public int Blocks(int published)
    {
        if (_options.Depth == 1.0)
            return published;
        return Math.Max(1, (int)Math.Round(published * _options.Depth, MidpointRounding.AwayFromZero));
    }
}

/// <summary>Convolution (no bias), optional norm, optional ReLU: mmcv's <c>ConvModule</c>.</summary>
internal sealed class ConvUnit : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv;
    private readonly Module<Tensor, Tensor>? norm;
    private readonly bool _relu;

    public ConvUnit(
        long input, long output, (long t, long h, long w) kernel, (long t, long h, long w) stride, (long t, long h, long w) padding,
        CnnScale? scale, bool relu, long groups = 1) : base(nameof(ConvUnit))
    {
        conv = Conv3d(input, output, kernel, stride: stride, padding: padding, groups: groups, bias: false);
        norm = scale?.Norm(output);
        _relu = relu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var y = conv.call(input);
        if (norm is not null)
            y = norm.call(y);
        return _relu ? functional.relu(y) : y;
    }
}

/// <summary>Runs its modules one after the other through <c>call</c>, so FLOP hooks see each of them.</summary>
internal sealed class Chain : Module<Tensor, Tensor>
{
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;

    public Chain(IEnumerable<Module<Tensor, Tensor>> modules) : base(nameof(Chain))
    {
        blocks = new ModuleList<Module<Tensor, Tensor>>([.. modules]);
        RegisterComponents();
    }

    public int Count => blocks.Count;

    public override Tensor forward(Tensor input)
    {
        // Each block's input is released once the next block has its output (autograd holds its own reference when
        // backward needs it), so a stage holds one activation at a time instead of all of them until the step ends.
        var x = input;
        foreach (var block in blocks)
        {
            var next = block.call(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(next, x))
                x.Dispose();
            x = next;
        }
        return x;
    }
}

/// <summary>
/// Global average pooling over T × H × W, dropout and a linear classifier (mmaction2 <c>I3DHead</c>).
/// </summary>
internal sealed class AveragePoolHead : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> dropout;
    private readonly Module<Tensor, Tensor> fc;

    public AveragePoolHead(long channels, int classes, double dropoutRate) : base(nameof(AveragePoolHead))
    {
        dropout = new SeededDropout(dropoutRate);
        fc = Linear(channels, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        fc.call(dropout.call(input.mean([2, 3, 4])));
}

/// <summary>
/// Deterministic initialization from a seed, as mmaction2 initializes its CNNs: convolutions Kaiming normal
/// (fan out, ReLU gain), linear layers normal with std 0.01, biases 0, norm weights 1. Draws only from a
/// <see cref="torch.Generator"/> seeded with the given seed, never from the global generator.
/// </summary>
internal static class CnnInit
{
    public static void Apply(Module model, long seed)
    {
        using var generator = new torch.Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case TorchSharp.Modules.Conv3d or TorchSharp.Modules.Conv2d or TorchSharp.Modules.Conv1d:
                {
                    var weight = module.get_parameter("weight")!;
                    long fanOut = weight.shape[0];
                    for (int i = 2; i < weight.shape.Length; i++)
                        fanOut *= weight.shape[i];
                    weight.normal_(0, Math.Sqrt(2.0 / fanOut), generator);
                    module.get_parameter("bias")?.zero_();
                    break;
                }
                case TorchSharp.Modules.Linear:
                    module.get_parameter("weight")!.normal_(0, 0.01, generator);
                    module.get_parameter("bias")?.zero_();
                    break;
                default:
                    foreach (var (name, p) in module.named_parameters(recurse: false))
                    {
                        if (name == "weight")
                            p.fill_(1.0);
                        else
                            p.zero_();
                    }
                    break;
            }
        }
    }
}
