using Toolkit.Trainers.Models.Stochastic;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Video;

/// <summary>
/// mmaction2 <c>ResNet3dSlowFast</c> R50: a slow pathway (SlowOnly R50 on every τ-th frame) and a fast pathway (I3D-style
/// R50 at 1/β of the width on every (τ/α)-th frame), fused after the stem and after res2, res3 and res4 by lateral
/// convolutions (kernel k × 1 × 1, temporal stride α, no norm, no activation) whose output is concatenated to the slow
/// features.
/// </summary>
/// <remarks>
/// The two pathways end with different frame counts, and <see cref="VideoModel.Backbone"/> returns one tensor, so the
/// fast features N × Cf × (α·T) × H × W are folded to N × (Cf·α) × T × H × W (channel c·α + a holds frame t·α + a) and
/// concatenated after the slow ones. <see cref="SlowFastHead"/> averages the folds back, which gives exactly the global
/// average of each pathway that mmaction2's <c>SlowFastHead</c> takes.
/// </remarks>
internal sealed class SlowFastBackbone : Module<Tensor, Tensor>
{
    private readonly ResNet3dPathway slow;
    private readonly ResNet3dPathway fast;
    private readonly ModuleList<ConvUnit> laterals;
    private readonly long _tau;
    private readonly long _alpha;

    public SlowFastBackbone(long tau, long alpha, long fusionKernel, CnnScale scale) : base(nameof(SlowFastBackbone))
    {
        _tau = tau;
        _alpha = alpha;
        // Fast pathway: base width 64 / β (β = 1/8), stem 5 × 7 × 7, every block inflated, no temporal downsampling.
        fast = new ResNet3dPathway(new ResNet3dConfig(8, 5, 1, 1, WithPool2: false, [[1], [1], [1], [1]]), scale);
        long[] fused = [fast.StemChannels, fast.StageChannels[0], fast.StageChannels[1], fast.StageChannels[2]];
        laterals = new ModuleList<ConvUnit>([.. fused.Select(c =>
            new ConvUnit(c, 2 * c, (fusionKernel, 1, 1), (alpha, 1, 1), ((fusionKernel - 1) / 2, 0, 0), scale: null, relu: false))]);
        slow = new ResNet3dPathway(ResNet3d.SlowOnlyConfig([.. fused.Select(c => 2 * c)]), scale);
        RegisterComponents();
    }

    /// <summary>Channels of the slow features.</summary>
    public long SlowChannels => slow.OutputChannels;

    /// <summary>Channels of the fast features (before folding).</summary>
    public long FastChannels => fast.OutputChannels;

    /// <summary>α: fast frames per slow frame.</summary>
    public long Alpha => _alpha;

    public override Tensor forward(Tensor input)
    {
        long frames = input.shape[2];
        var xs = slow.Stem(input.slice(2, 0, frames, _tau));
        var xf = fast.Stem(input.slice(2, 0, frames, _tau / _alpha));
        xs = cat([xs, laterals[0].call(xf)], 1);
        for (int i = 0; i < 4; i++)
        {
            xs = slow.Stage(i, xs);
            xf = fast.Stage(i, xf);
            if (i < 3)
                xs = cat([xs, laterals[i + 1].call(xf)], 1);
        }
        long n = xs.shape[0], t = xs.shape[2], h = xs.shape[3], w = xs.shape[4];
        if (xf.shape[2] != t * _alpha)
            throw new ArgumentException(
                $"SlowFast needs a frame count divisible by τ = {_tau}: the fast pathway ended with {xf.shape[2]} frames, the slow one with {t}.",
                nameof(input));
        var folded = xf.view(n, FastChannels, t, _alpha, h, w).permute(0, 1, 3, 2, 4, 5).reshape(n, FastChannels * _alpha, t, h, w);
        return cat([xs, folded], 1);
    }
}

/// <summary>
/// mmaction2 <c>SlowFastHead</c> on the folded features of <see cref="SlowFastBackbone"/>: global average of each
/// pathway, concatenated fast then slow (256 + 2048 = 2304 channels), dropout, linear.
/// </summary>
internal sealed class SlowFastHead : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> dropout;
    private readonly Module<Tensor, Tensor> fc;
    private readonly long _slow;
    private readonly long _fast;
    private readonly long _alpha;

    public SlowFastHead(long slowChannels, long fastChannels, long alpha, int classes, double dropoutRate) : base(nameof(SlowFastHead))
    {
        _slow = slowChannels;
        _fast = fastChannels;
        _alpha = alpha;
        dropout = new SeededDropout(dropoutRate);
        fc = Linear(slowChannels + fastChannels, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var pooled = input.mean([2, 3, 4]);
        var slow = pooled.narrow(1, 0, _slow);
        var fast = pooled.narrow(1, _slow, _fast * _alpha).view(-1, _fast, _alpha).mean([2]);
        // Fast first, as mmaction2 concatenates, so the classifier columns line up with its checkpoints.
        return fc.call(dropout.call(cat([fast, slow], 1)));
    }
}

/// <summary>
/// SlowFast R50 8 × 8 as mmaction2's <c>slowfast_r50_8xb8-8x8x1</c>: τ 4, α 4, β 1/8, lateral kernel 7, 32-frame input
/// (slow pathway 8 frames, fast pathway 32); <c>SlowFastHead</c> 2304 → classes. Input N × 3 × T × H × W with T
/// divisible by 4; output N × classes logits.
/// </summary>
public sealed class SlowFast : VideoModel
{
    private readonly SlowFastBackbone backbone;
    private readonly SlowFastHead head;

    private SlowFast(ModelOptions options) : base("slowfast-r50")
    {
        var scale = new CnnScale(options.Validated());
        backbone = new SlowFastBackbone(tau: 4, alpha: 4, fusionKernel: 7, scale);
        head = new SlowFastHead(backbone.SlowChannels, backbone.FastChannels, backbone.Alpha, options.Classes, options.Dropout);
        RegisterComponents();
        if (options.Initialize)
            CnnInit.Apply(this, options.Seed);
    }

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Backbone => backbone;

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Head => head;

    /// <summary>SlowFast R50 8 × 8 (33.64 M backbone parameters, 34.57 M with the 400-class head).</summary>
    /// <param name="options">Classes, width, depth, dropout, norm and seed.</param>
    public static SlowFast R50(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SlowFast(options);
    }
}
