using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models;

/// <summary>Builds the normalization layer of a 3-D CNN for a channel count (BatchNorm3d by default; SubBatchNorm3d for multigrid).</summary>
/// <param name="channels">Channels to normalize.</param>
public delegate Module<Tensor, Tensor> Norm3dFactory(long channels);

/// <summary>Options every architecture takes.</summary>
public sealed record ModelOptions
{
    /// <summary>Classes of the head (400 for Kinetics-400; 1000 for the ImageNet DeiT cards).</summary>
    public int Classes { get; init; } = 400;

    /// <summary>Channel multiplier (1 = the published model). Tiny CPU versions use e.g. 0.125; channels round to a multiple of 8 (at least 8).</summary>
    public double Width { get; init; } = 1.0;

    /// <summary>Depth multiplier on the blocks of each stage (1 = published; each stage keeps at least one block).</summary>
    public double Depth { get; init; } = 1.0;

    /// <summary>Dropout before the classifier (mmaction2 heads: 0.5).</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>The 3-D norm layer (CNNs); null = BatchNorm3d.</summary>
    public Norm3dFactory? Norm3d { get; init; }

    /// <summary>Variants of the transformers (norm, activation, weight normalization, Pre/Post-LN, drop path, input size); null = the published models.</summary>
    public Transformers.TransformerOptions? Transformer { get; init; }

    /// <summary>
    /// I3D only: temporal stride of the stem convolution and of the stem max pool; null = 2 and 2 (mmaction2's
    /// <c>i3d_r50</c>, 32-frame clips); 1 = pytorchvideo's <c>i3d_r50</c> (8-frame clips), whose checkpoints load then.
    /// </summary>
    public int? StemTemporalStride { get; init; }

    /// <summary>
    /// Run the architecture's seeded weight initialization (true, the default). False leaves TorchSharp's default
    /// initialization, for a model whose every weight is about to be overwritten (importing a checkpoint): faster.
    /// </summary>
    public bool Initialize { get; init; } = true;

    /// <summary>Seed of the weight initialization (deterministic: same seed, same weights).</summary>
    public long Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the bad option.</summary>
    public ModelOptions Validated()
    {
        if (Classes < 1)
            throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "Classes must be at least 1.");
        if (!(Width > 0 && Width <= 4))
            throw new ArgumentOutOfRangeException(nameof(Width), Width, "Width must be in (0, 4].");
        if (!(Depth > 0 && Depth <= 4))
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "Depth must be in (0, 4].");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (StemTemporalStride is not (null or 1 or 2))
            throw new ArgumentOutOfRangeException(nameof(StemTemporalStride), StemTemporalStride, "StemTemporalStride must be 1 or 2.");
        return this;
    }
}

/// <summary>
/// A classifier split into <see cref="Backbone"/> (features) and <see cref="Head"/> (pooling, dropout, linear), so
/// parameters and FLOPs can be reported for the backbone alone, as published tables do. Input N × C × T × H × W
/// (video models) or N × C × H × W (image models); output N × classes logits.
/// </summary>
public abstract class VideoModel : Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    protected VideoModel(string name) : base(name)
    {
    }

    /// <summary>Features (no head).</summary>
    public abstract Module<Tensor, Tensor> Backbone { get; }

    /// <summary>Pooling, dropout and classifier.</summary>
    public abstract Module<Tensor, Tensor> Head { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Head.call(Backbone.call(input));
}
