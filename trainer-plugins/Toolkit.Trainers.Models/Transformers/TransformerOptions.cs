namespace Toolkit.Trainers.Models.Transformers;

/// <summary>The normalization layer of a token transformer block.</summary>
public enum TokenNorm
{
    /// <summary>LayerNorm over the channels of each token (the published DeiT and MViT).</summary>
    LayerNorm,

    /// <summary>
    /// BatchNorm over the channel dimension, statistics taken across batch × tokens (BatchNorm1d on N × C × L). Counts
    /// 5 FLOPs per element in training mode and 2 in eval mode.
    /// </summary>
    BatchNorm,
}

/// <summary>The activation inside the MLP of a transformer block.</summary>
public enum TokenActivation
{
    /// <summary>GELU (the published models).</summary>
    Gelu,

    /// <summary>ReLU6, which the BatchNorm transformer notes use to keep BN-normalized features from blowing up.</summary>
    Relu6,
}

/// <summary>
/// Variants of the token transformers (DeiT). The defaults are the published models: LayerNorm, GELU, plain linear
/// layers, Pre-LN blocks. Choosing <see cref="TokenNorm.BatchNorm"/> switches the defaults of <see cref="Activation"/>
/// to ReLU6 and of <see cref="WeightNorm"/> to true, as the BN-transformer notes found necessary for stable training;
/// set them explicitly to override.
/// </summary>
public sealed record TransformerOptions
{
    /// <summary>Normalization layer of the blocks and of the final norm.</summary>
    public TokenNorm Norm { get; init; } = TokenNorm.LayerNorm;

    /// <summary>MLP activation; null = GELU for LayerNorm, ReLU6 for BatchNorm.</summary>
    public TokenActivation? Activation { get; init; }

    /// <summary>
    /// Weight normalization (<see cref="Norms.WeightNormLinear"/>) on the linear layers of the blocks (qkv, attention
    /// projection, both MLP layers; the classifier stays a plain linear); null = off for LayerNorm, on for BatchNorm.
    /// </summary>
    public bool? WeightNorm { get; init; }

    /// <summary>Pre-LN blocks (x + f(norm(x)), the default) when true; Post-LN blocks (norm(x + f(x))) when false.</summary>
    public bool PreNorm { get; init; } = true;

    /// <summary>
    /// Stochastic-depth rate of the last block (linearly increasing from 0 at the first block); null = the
    /// architecture's default (DeiT 0, as timm's model default; MViT-B 0.2, as SlowFast's MVIT_B_16x4_CONV).
    /// Only active in training mode.
    /// </summary>
    public double? DropPath { get; init; }

    /// <summary>
    /// Input height and width (pixels) the position embeddings are sized for; null = the reference input (224). Other
    /// input sizes still work: the embeddings are then interpolated to the token grid on every call.
    /// </summary>
    public int? ImageSize { get; init; }

    /// <summary>Input frames the temporal position embedding of video transformers is sized for; null = 16 (the reference input).</summary>
    public int? Frames { get; init; }

    /// <summary>The activation in effect (<see cref="Activation"/> or its default for <see cref="Norm"/>).</summary>
    public TokenActivation ResolvedActivation => Activation ?? (Norm == TokenNorm.BatchNorm ? TokenActivation.Relu6 : TokenActivation.Gelu);

    /// <summary>Whether weight normalization is in effect (<see cref="WeightNorm"/> or its default for <see cref="Norm"/>).</summary>
    public bool ResolvedWeightNorm => WeightNorm ?? Norm == TokenNorm.BatchNorm;

    /// <summary>True when every option has its published-model value (what MViT-B supports).</summary>
    public bool IsPublishedDefault => Norm == TokenNorm.LayerNorm && ResolvedActivation == TokenActivation.Gelu && !ResolvedWeightNorm && PreNorm;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the bad option.</summary>
    public TransformerOptions Validated()
    {
        if (!Enum.IsDefined(Norm))
            throw new ArgumentOutOfRangeException(nameof(Norm), Norm, "Norm must be LayerNorm or BatchNorm.");
        if (Activation is { } a && !Enum.IsDefined(a))
            throw new ArgumentOutOfRangeException(nameof(Activation), a, "Activation must be Gelu or Relu6.");
        if (DropPath is { } d && !(d >= 0 && d < 1))
            throw new ArgumentOutOfRangeException(nameof(DropPath), d, "DropPath must be in [0, 1).");
        if (ImageSize is { } s && s < 1)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), s, "ImageSize must be at least 1.");
        if (Frames is { } f && f < 1)
            throw new ArgumentOutOfRangeException(nameof(Frames), f, "Frames must be at least 1.");
        return this;
    }
}
