using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Video;

/// <summary>
/// mmaction2's <c>Bottleneck3d</c> ("pytorch" style, inflate style 3×1×1): 1×1×1 (3×1×1 when inflated) → 1×3×3 with the
/// spatial stride → 1×1×1 to 4× the width, each followed by a norm; residual add, ReLU.
/// </summary>
internal sealed class Bottleneck3d : Module<Tensor, Tensor>
{
    public const int Expansion = 4;

    private readonly ConvUnit conv1;
    private readonly ConvUnit conv2;
    private readonly ConvUnit conv3;
    private readonly ConvUnit? downsample;

    public Bottleneck3d(long input, long planes, long spatialStride, bool inflate, CnnScale scale) : base(nameof(Bottleneck3d))
    {
        conv1 = inflate
            ? new ConvUnit(input, planes, (3, 1, 1), (1, 1, 1), (1, 0, 0), scale, relu: true)
            : new ConvUnit(input, planes, (1, 1, 1), (1, 1, 1), (0, 0, 0), scale, relu: true);
        conv2 = new ConvUnit(planes, planes, (1, 3, 3), (1, spatialStride, spatialStride), (0, 1, 1), scale, relu: true);
        conv3 = new ConvUnit(planes, planes * Expansion, (1, 1, 1), (1, 1, 1), (0, 0, 0), scale, relu: false);
        if (spatialStride != 1 || input != planes * Expansion)
            downsample = new ConvUnit(input, planes * Expansion, (1, 1, 1), (1, spatialStride, spatialStride), (0, 0, 0), scale, relu: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        // The block's intermediates die with it (autograd keeps what backward needs): memory holds block outputs only.
        using var scope = NewDisposeScope();
        var y = conv3.call(conv2.call(conv1.call(input)));
        var identity = downsample is null ? input : downsample.call(input);
        return functional.relu(y + identity).MoveToOuterDisposeScope();
    }
}

/// <summary>How one mmaction2 <c>ResNet3d</c> (depth 50) is configured.</summary>
/// <param name="BaseChannels">Width of the stem and of the first stage's bottleneck (64; the SlowFast fast pathway 8).</param>
/// <param name="Conv1KernelT">Temporal kernel of the stem convolution (5 for I3D, 1 for SlowOnly).</param>
/// <param name="Conv1StrideT">Temporal stride of the stem convolution.</param>
/// <param name="Pool1StrideT">Temporal stride of the stem max pooling.</param>
/// <param name="WithPool2">Temporal max pooling (2, 1, 1) after the first stage (I3D).</param>
/// <param name="Inflate">Per stage, which blocks use a 3×1×1 first convolution (cycled when the depth is scaled).</param>
/// <param name="LateralChannels">Per stage, channels concatenated to its input from another pathway (SlowFast), or null.</param>
internal sealed record ResNet3dConfig(
    long BaseChannels, long Conv1KernelT, long Conv1StrideT, long Pool1StrideT, bool WithPool2, int[][] Inflate, long[]? LateralChannels = null)
{
    /// <summary>Blocks per stage of ResNet-50.</summary>
    public static readonly int[] R50Blocks = [3, 4, 6, 3];
}

/// <summary>
/// mmaction2 <c>ResNet3d</c> depth 50 as a feature extractor: stem conv (kt × 7 × 7, spatial stride 2), max pool
/// (1 × 3 × 3, stride 2), optional temporal pool after res2, four bottleneck stages (spatial strides 1, 2, 2, 2).
/// Output N × 2048 × T' × H/32 × W/32.
/// </summary>
internal sealed class ResNet3dPathway : Module<Tensor, Tensor>
{
    private readonly ConvUnit conv1;
    private readonly Module<Tensor, Tensor> maxpool;
    private readonly Module<Tensor, Tensor>? pool2;
    private readonly ModuleList<Chain> stages;

    public ResNet3dPathway(ResNet3dConfig config, CnnScale scale) : base(nameof(ResNet3dPathway))
    {
        StemChannels = scale.Channels(config.BaseChannels);
        conv1 = new ConvUnit(3, StemChannels, (config.Conv1KernelT, 7, 7), (config.Conv1StrideT, 2, 2),
            ((config.Conv1KernelT - 1) / 2, 3, 3), scale, relu: true);
        maxpool = MaxPool3d(new long[] { 1, 3, 3 }, new long[] { config.Pool1StrideT, 2, 2 }, new long[] { 0, 1, 1 });
        if (config.WithPool2)
            pool2 = MaxPool3d(new long[] { 2, 1, 1 }, new long[] { 2, 1, 1 });

        var built = new List<Chain>();
        long input = StemChannels;
        var outputs = new long[4];
        for (int i = 0; i < 4; i++)
        {
            long planes = scale.Channels(config.BaseChannels << i);
            long stride = i == 0 ? 1 : 2;
            int count = scale.Blocks(ResNet3dConfig.R50Blocks[i]);
            var pattern = config.Inflate[i];
            var blocks = new List<Module<Tensor, Tensor>>();
            for (int b = 0; b < count; b++)
            {
                long blockInput = b == 0 ? input + (config.LateralChannels?[i] ?? 0) : planes * Bottleneck3d.Expansion;
                blocks.Add(new Bottleneck3d(blockInput, planes, b == 0 ? stride : 1, pattern[b % pattern.Length] != 0, scale));
            }
            built.Add(new Chain(blocks));
            input = planes * Bottleneck3d.Expansion;
            outputs[i] = input;
        }
        stages = new ModuleList<Chain>([.. built]);
        StageChannels = outputs;
        RegisterComponents();
    }

    /// <summary>Channels out of the stem.</summary>
    public long StemChannels { get; }

    /// <summary>Channels out of each stage.</summary>
    public IReadOnlyList<long> StageChannels { get; }

    /// <summary>Channels of the features.</summary>
    public long OutputChannels => StageChannels[^1];

    /// <summary>Stem convolution and max pooling.</summary>
    public Tensor Stem(Tensor input) => maxpool.call(conv1.call(input));

    /// <summary>Stage <paramref name="index"/> (0 = res2), with the temporal pool after res2 when configured.</summary>
    public Tensor Stage(int index, Tensor input)
    {
        var y = stages[index].call(input);
        return index == 0 && pool2 is not null ? pool2.call(y) : y;
    }

    public override Tensor forward(Tensor input)
    {
        var x = Stem(input);
        for (int i = 0; i < stages.Count; i++)
            x = Stage(i, x);
        return x;
    }
}

/// <summary>
/// A 3-D ResNet-50 classifier: mmaction2 <c>ResNet3d</c> backbone and <c>I3DHead</c> (global average pooling,
/// dropout, linear). Input N × 3 × T × H × W; output N × classes logits.
/// </summary>
public sealed class ResNet3d : VideoModel
{
    private readonly ResNet3dPathway backbone;
    private readonly AveragePoolHead head;

    private ResNet3d(string name, ResNet3dConfig config, ModelOptions options) : base(name)
    {
        var scale = new CnnScale(options.Validated());
        backbone = new ResNet3dPathway(config, scale);
        head = new AveragePoolHead(backbone.OutputChannels, options.Classes, options.Dropout);
        RegisterComponents();
        if (options.Initialize)
            CnnInit.Apply(this, options.Seed);
    }

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Backbone => backbone;

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Head => head;

    /// <summary>
    /// I3D R50 as mmaction2's <c>i3d_r50</c>: stem 5 × 7 × 7 with temporal stride 2, max pool temporal stride 2, temporal
    /// pool after res2, 3 × 1 × 1 inflation in blocks (1,1,1), (1,0,1,0), (1,0,1,0,1,0), (0,1,0).
    /// <see cref="ModelOptions.StemTemporalStride"/> 1 gives pytorchvideo's <c>i3d_r50</c> (stem and max pool temporal stride 1).
    /// 27.22 M backbone parameters, 16.74 GFLOPs at 1 × 3 × 16 × 224 × 224.
    /// </summary>
    /// <param name="options">Classes, width, depth, dropout, norm and seed.</param>
    public static ResNet3d I3dR50(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = options.StemTemporalStride is { } stride ? I3dConfig with { Conv1StrideT = stride, Pool1StrideT = stride } : I3dConfig;
        return new ResNet3d("i3d-r50", config, options);
    }

    /// <summary>
    /// SlowOnly R50 as mmaction2's <c>ResNet3dSlowOnly</c> (= pytorchvideo <c>slow_r50</c>): stem 1 × 7 × 7, no temporal
    /// downsampling, 3 × 1 × 1 inflation in every block of res4 and res5 only.
    /// 31.63 M backbone parameters, 84.36 GFLOPs at 1 × 3 × 16 × 224 × 224.
    /// </summary>
    /// <param name="options">Classes, width, depth, dropout, norm and seed.</param>
    public static ResNet3d SlowOnlyR50(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResNet3d("slowonly-r50", SlowOnlyConfig(null), options);
    }

    internal static ResNet3dConfig I3dConfig { get; } =
        new(64, 5, 2, 2, WithPool2: true, [[1, 1, 1], [1, 0, 1, 0], [1, 0, 1, 0, 1, 0], [0, 1, 0]]);

    internal static ResNet3dConfig SlowOnlyConfig(long[]? lateral) =>
        new(64, 1, 1, 1, WithPool2: false, [[0], [0], [1], [1]], lateral);
}
