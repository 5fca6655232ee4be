using System.Text.Json.Serialization;
using Toolkit.Trainers.Models.Transformers;

namespace Toolkit.Trainers.Models;

/// <summary>
/// What fixes the shape of a model's weights: the architecture, its classes and multipliers and the transformer variant.
/// Recorded beside saved weights (<c>weights.json</c>, checkpoint <c>state.json</c>) so they can be rebuilt and read
/// again without guessing. Seeds, dropout and the norm factory do not change the weights' layout and are left out.
/// </summary>
/// <param name="Architecture">Name in the zoo (<c>x3d-m</c>; <see cref="ModelZoo.All"/>).</param>
/// <param name="Classes">Classes of the head.</param>
public sealed record ModelSpec(string Architecture, int Classes)
{
    /// <summary>Channel multiplier (1 = published).</summary>
    public double Width { get; init; } = 1.0;

    /// <summary>Depth multiplier (1 = published).</summary>
    public double Depth { get; init; } = 1.0;

    /// <summary>I3D only: temporal stride of the stem convolution and max pool (null = 2, mmaction2; 1 = pytorchvideo's i3d_r50).</summary>
    public int? StemTemporalStride { get; init; }

    /// <summary>Transformers: <c>layer</c> or <c>batch</c> norm.</summary>
    public string Norm { get; init; } = "layer";

    /// <summary>Transformers: <c>gelu</c>, <c>relu6</c>, or null for the norm's default.</summary>
    public string? Activation { get; init; }

    /// <summary>Transformers: weight-normalized linear layers; null = the norm's default.</summary>
    public bool? WeightNorm { get; init; }

    /// <summary>Transformers: Pre-LN (true) or Post-LN (false) blocks.</summary>
    public bool PreNorm { get; init; } = true;

    /// <summary>The zoo entry of <see cref="Architecture"/>.</summary>
    /// <exception cref="ArgumentException">Unknown architecture (the message lists the known ones).</exception>
    [JsonIgnore]
    public ModelEntry Entry => ModelZoo.Get(Architecture);

    /// <summary>The transformer variant these fields name.</summary>
    public TransformerOptions TransformerOptions() => new()
    {
        Norm = Norm == "batch" ? TokenNorm.BatchNorm : TokenNorm.LayerNorm,
        Activation = Activation switch { "relu6" => TokenActivation.Relu6, "gelu" => TokenActivation.Gelu, _ => null },
        WeightNorm = WeightNorm,
        PreNorm = PreNorm,
    };

    /// <summary>Model options with these fields (dropout, seed and norm factory from <paramref name="template"/>, if given).</summary>
    public ModelOptions ToOptions(ModelOptions? template = null) => (template ?? new ModelOptions()) with
    {
        Classes = Classes,
        Width = Width,
        Depth = Depth,
        StemTemporalStride = StemTemporalStride,
        Transformer = TransformerOptions(),
    };

    /// <summary>Builds the model (eval-ready weights come from wherever the caller loads them).</summary>
    /// <exception cref="ArgumentException">An option the architecture does not have (a stem stride on anything but i3d-r50).</exception>
    public VideoModel Create(ModelOptions? template = null)
    {
        if (StemTemporalStride is not null && !string.Equals(Architecture, "i3d-r50", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"the stem temporal stride is an option of i3d-r50 only, not of {Architecture}", nameof(StemTemporalStride));
        return Entry.Create(ToOptions(template).Validated());
    }

    /// <summary>One line: <c>x3d-m, 400 classes, width 1, depth 1</c> (plus the transformer variant when not the default).</summary>
    public override string ToString()
    {
        var text = FormattableString.Invariant($"{Architecture}, {Classes} classes, width {Width:G4}, depth {Depth:G4}");
        if (StemTemporalStride is { } stride)
            text += FormattableString.Invariant($", stem temporal stride {stride}");
        if (Norm != "layer" || Activation is not null || WeightNorm is not null || !PreNorm)
            text += FormattableString.Invariant($", norm {Norm}, activation {Activation ?? "default"}, weight norm {WeightNorm?.ToString() ?? "default"}, {(PreNorm ? "pre-LN" : "post-LN")}");
        return text;
    }
}
