using System.Text.Json.Serialization;

namespace Toolkit.Augment.Tensors.Batch;

/// <summary>How mixing parameters are shared across a batch (timm's modes).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MixMode>))]
public enum MixMode
{
    /// <summary>One λ (and for CutMix one box, for all frames of all clips) per batch; sample i mixes with sample N − 1 − i.</summary>
    Batch,

    /// <summary>One λ / box per pair (i, N − 1 − i), both members mixed with each other; N must be even.</summary>
    Pair,

    /// <summary>One λ / box per sample, each mixed with sample N − 1 − i.</summary>
    Elem,
}

/// <summary>
/// Options of <see cref="BatchMixer"/> (timm's <c>Mixup</c> arguments). Defaults are MViT's Kinetics recipe: mixup
/// α 0.8, CutMix α 1.0, always mix, switch half the time, label smoothing 0.1.
/// </summary>
public sealed record MixOptions
{
    /// <summary>Number of classes of the one-hot targets (required).</summary>
    public int NumClasses { get; init; }

    /// <summary>Mixup λ ~ Beta(α, α); 0 disables mixup.</summary>
    public double MixupAlpha { get; init; } = 0.8;

    /// <summary>CutMix λ ~ Beta(α, α); 0 disables CutMix.</summary>
    public double CutmixAlpha { get; init; } = 1.0;

    /// <summary>
    /// When set, CutMix box sides are drawn uniformly in [min·side, max·side) instead of from λ (timm's
    /// <c>cutmix_minmax</c>); λ then always comes from the box.
    /// </summary>
    public IReadOnlyList<double>? CutmixMinMax { get; init; }

    /// <summary>Probability that a batch (or element, pair) is mixed at all.</summary>
    public double Prob { get; init; } = 1.0;

    /// <summary>With both enabled: probability of CutMix instead of mixup.</summary>
    public double SwitchProb { get; init; } = 0.5;

    /// <summary>Sharing of the parameters across the batch.</summary>
    public MixMode Mode { get; init; } = MixMode.Batch;

    /// <summary>Recompute CutMix λ as 1 − box area / frame area after the box is clipped to the frame (always with <see cref="CutmixMinMax"/>).</summary>
    public bool CorrectLambda { get; init; } = true;

    /// <summary>Label smoothing ε: one-hot targets become (1 − ε + ε/K) and ε/K.</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>Mixup only, with α.</summary>
    public static MixOptions Mixup(int numClasses, double alpha = 0.8) => new() { NumClasses = numClasses, MixupAlpha = alpha, CutmixAlpha = 0 };

    /// <summary>CutMix only, with α.</summary>
    public static MixOptions CutMix(int numClasses, double alpha = 1.0) => new() { NumClasses = numClasses, MixupAlpha = 0, CutmixAlpha = alpha };
}

/// <summary>A CutMix box in pixels: rows [Y0, Y1), columns [X0, X1), the same for every frame of the clip.</summary>
/// <param name="Y0">First row.</param>
/// <param name="Y1">Row after the last.</param>
/// <param name="X0">First column.</param>
/// <param name="X1">Column after the last.</param>
public readonly record struct CutBox(int Y0, int Y1, int X0, int X1)
{
    /// <summary>Pixels in the box.</summary>
    public long Area => (long)Math.Max(0, Y1 - Y0) * Math.Max(0, X1 - X0);
}

/// <summary>What one call of <see cref="BatchMixer.Mix"/> sampled, per sample of the batch.</summary>
/// <param name="Mode">The sharing mode.</param>
/// <param name="Lambda">Weight of each sample's own content and label (1 = unmixed); for CutMix the corrected value.</param>
/// <param name="SampledLambda">λ as drawn from the Beta distribution, before any correction (1 when not mixed).</param>
/// <param name="CutMix">Whether each sample was mixed by CutMix (else mixup, or nothing when λ = 1).</param>
/// <param name="Boxes">Each sample's box (null when not CutMix).</param>
/// <param name="Partner">The sample each one is mixed with (N − 1 − i).</param>
public sealed record MixParams(MixMode Mode, IReadOnlyList<double> Lambda, IReadOnlyList<double> SampledLambda,
    IReadOnlyList<bool> CutMix, IReadOnlyList<CutBox?> Boxes, IReadOnlyList<int> Partner);
