using Toolkit.Trainers.Models.Stochastic;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Video;

/// <summary>Squeeze-excitation of mmaction2's X3D: global average, 1×1×1 conv (with bias), ReLU, 1×1×1 conv, sigmoid gate.</summary>
internal sealed class SqueezeExcite3d : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> fc1;
    private readonly Module<Tensor, Tensor> fc2;

    public SqueezeExcite3d(long channels, double ratio) : base(nameof(SqueezeExcite3d))
    {
        long bottleneck = X3D.RoundWidth(channels, ratio);
        fc1 = Conv3d(channels, bottleneck, 1);
        fc2 = Conv3d(bottleneck, channels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var s = input.mean([2, 3, 4], keepdim: true);
        return input * functional.sigmoid(fc2.call(functional.relu(fc1.call(s))));
    }
}

/// <summary>
/// mmaction2 <c>BlockX3D</c>: 1×1×1 expand (norm, ReLU) → 3×3×3 channel-wise with the spatial stride (norm) → optional
/// squeeze-excitation → Swish → 1×1×1 project (norm); residual add, ReLU.
/// </summary>
internal sealed class BlockX3D : Module<Tensor, Tensor>
{
    private readonly ConvUnit conv1;
    private readonly ConvUnit conv2;
    private readonly SqueezeExcite3d? se;
    private readonly ConvUnit conv3;
    private readonly ConvUnit? downsample;

    public BlockX3D(long input, long inner, long output, long spatialStride, double seRatio, CnnScale scale) : base(nameof(BlockX3D))
    {
        conv1 = new ConvUnit(input, inner, (1, 1, 1), (1, 1, 1), (0, 0, 0), scale, relu: true);
        conv2 = new ConvUnit(inner, inner, (3, 3, 3), (1, spatialStride, spatialStride), (1, 1, 1), scale, relu: false, groups: inner);
        if (seRatio > 0)
            se = new SqueezeExcite3d(inner, seRatio);
        conv3 = new ConvUnit(inner, output, (1, 1, 1), (1, 1, 1), (0, 0, 0), scale, relu: false);
        if (spatialStride != 1 || input != output)
            downsample = new ConvUnit(input, output, (1, 1, 1), (1, spatialStride, spatialStride), (0, 0, 0), scale, relu: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        // The block's intermediates die with it (autograd keeps what backward needs): memory holds block outputs only.
        using var scope = NewDisposeScope();
        var y = conv2.call(conv1.call(input));
        if (se is not null)
            y = se.call(y);
        y = conv3.call(functional.silu(y));
        var identity = downsample is null ? input : downsample.call(input);
        return functional.relu(y + identity).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// mmaction2 <c>X3D</c> backbone: stem 1×3×3 conv (spatial stride 2, no norm) then 5×1×1 channel-wise conv (norm, ReLU);
/// four stages of <see cref="BlockX3D"/> (spatial stride 2 in each first block, squeeze-excitation in every other
/// block); conv5 1×1×1 to γ_b × the last width (norm, ReLU).
/// </summary>
internal sealed class X3DBackbone : Module<Tensor, Tensor>
{
    private readonly ConvUnit conv1S;
    private readonly ConvUnit conv1T;
    private readonly Chain stages;
    private readonly ConvUnit conv5;

    public X3DBackbone(double gammaW, double gammaB, double gammaD, CnnScale scale) : base(nameof(X3DBackbone))
    {
        long stem = scale.Channels(X3D.RoundWidth(24, gammaW));
        conv1S = new ConvUnit(3, stem, (1, 3, 3), (1, 2, 2), (0, 1, 1), scale: null, relu: false);
        conv1T = new ConvUnit(stem, stem, (5, 1, 1), (1, 1, 1), (2, 0, 0), scale, relu: true, groups: stem);

        int[] published = [1, 2, 5, 3];
        var counts = new int[published.Length];
        var blocks = new List<Module<Tensor, Tensor>>();
        long input = stem;
        for (int i = 0; i < published.Length; i++)
        {
            long output = scale.Channels(X3D.RoundWidth(24, gammaW) << i);
            long inner = (long)(output * gammaB);
            int count = scale.Blocks((int)Math.Ceiling(gammaD * published[i]));
            counts[i] = count;
            for (int b = 0; b < count; b++)
            {
                blocks.Add(new BlockX3D(b == 0 ? input : output, inner, output, b == 0 ? 2 : 1, b % 2 == 0 ? X3D.SeRatio : 0, scale));
            }
            input = output;
        }
        stages = new Chain(blocks);
        StageBlocks = counts;
        OutputChannels = (long)(input * gammaB);
        conv5 = new ConvUnit(input, OutputChannels, (1, 1, 1), (1, 1, 1), (0, 0, 0), scale, relu: true);
        RegisterComponents();
    }

    /// <summary>Channels of the features (432 for X3D-M).</summary>
    public long OutputChannels { get; }

    /// <summary>Blocks of each of the four stages (3, 5, 11, 7 for X3D-M); the blocks are stored flat, stage after stage.</summary>
    public IReadOnlyList<int> StageBlocks { get; }

    public override Tensor forward(Tensor input) =>
        conv5.call(stages.call(conv1T.call(conv1S.call(input))));
}

/// <summary>mmaction2 <c>X3DHead</c>: global average, linear to 2048 (no bias), ReLU, dropout, linear to the classes.</summary>
internal sealed class X3DHead : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> fc1;
    private readonly Module<Tensor, Tensor> dropout;
    private readonly Module<Tensor, Tensor> fc2;

    public X3DHead(long channels, long hidden, int classes, double dropoutRate) : base(nameof(X3DHead))
    {
        fc1 = Linear(channels, hidden, hasBias: false);
        dropout = new SeededDropout(dropoutRate);
        fc2 = Linear(hidden, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        fc2.call(dropout.call(functional.relu(fc1.call(input.mean([2, 3, 4])))));
}

/// <summary>
/// X3D as mmaction2 defines it (<c>X3D</c> backbone with conv5 inside, <c>X3DHead</c>). Input N × 3 × T × H × W; output
/// N × classes logits.
/// </summary>
public sealed class X3D : VideoModel
{
    internal const double SeRatio = 1.0 / 16;

    private readonly X3DBackbone backbone;
    private readonly X3DHead head;

    private X3D(string name, double gammaW, double gammaB, double gammaD, ModelOptions options) : base(name)
    {
        var scale = new CnnScale(options.Validated());
        backbone = new X3DBackbone(gammaW, gammaB, gammaD, scale);
        head = new X3DHead(backbone.OutputChannels, scale.Channels(2048), options.Classes, options.Dropout);
        RegisterComponents();
        if (options.Initialize)
            CnnInit.Apply(this, options.Seed);
    }

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Backbone => backbone;

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Head => head;

    /// <summary>
    /// Blocks of each stage (res2 to res5: 3, 5, 11, 7 for X3D-M at depth 1). Our state dict numbers the blocks flat
    /// (<c>backbone.stages.blocks.{n}</c>) where mmaction2 numbers them per stage (<c>backbone.layer{i}.{j}</c>).
    /// </summary>
    public IReadOnlyList<int> StageBlocks => backbone.StageBlocks;

    /// <summary>
    /// X3D-M (γ_w 1 on mmaction2's base width 24, i.e. the paper's width factor 2 on 12; depth factor 2.2; bottleneck
    /// factor 2.25; squeeze-excitation 1/16 in every other block; Swish). The conv5 192 → 432 is part of the backbone, as
    /// in mmaction2: 2.09 M backbone parameters, 5.15 GFLOPs at 1 × 3 × 16 × 224 × 224.
    /// </summary>
    /// <param name="options">Classes, width, depth, dropout, norm and seed.</param>
    public static X3D M(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new X3D("x3d-m", gammaW: 1.0, gammaB: 2.25, gammaD: 2.2, options);
    }

    /// <summary>mmaction2's <c>_round_width</c>: width × multiplier to a multiple of 8, at least 8, not below 90 %.</summary>
    internal static long RoundWidth(long width, double multiplier)
    {
        const long divisor = 8;
        double scaled = width * multiplier;
        long rounded = Math.Max(divisor, (long)(scaled + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * scaled)
            rounded += divisor;
        return rounded;
    }
}
