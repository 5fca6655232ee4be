using OpenCvSharp;
using Toolkit.Augment.Geometry;

namespace Toolkit.Augment.Color;

/// <summary>Options of <see cref="Normalize"/>. Null mean/std take the defaults of the clip's kind.</summary>
public sealed record NormalizeOptions
{
    /// <summary>ImageNet RGB mean (R, G, B), on 0–255 values.</summary>
    public static readonly IReadOnlyList<double> RgbMean = [123.675, 116.28, 103.53];

    /// <summary>ImageNet RGB std (R, G, B).</summary>
    public static readonly IReadOnlyList<double> RgbStd = [58.395, 57.12, 57.375];

    /// <summary>Quantized flow mean (x, y): zero motion.</summary>
    public static readonly IReadOnlyList<double> FlowMean = [128, 128];

    /// <summary>Quantized flow std (x, y).</summary>
    public static readonly IReadOnlyList<double> FlowStd = [128, 128];

    /// <summary>Per-channel mean in output channel order (RGB for colour, x/y for flow); null = the kind's default.</summary>
    public IReadOnlyList<double>? Mean { get; init; }

    /// <summary>Per-channel std; null = the kind's default.</summary>
    public IReadOnlyList<double>? Std { get; init; }

    /// <summary>Colour output in RGB order (what models trained with mmaction2/torchvision expect); false keeps BGR.</summary>
    public bool ToRgb { get; init; } = true;
}

/// <summary>What <see cref="Normalize"/> used.</summary>
/// <param name="Mean">Per-channel mean in output order.</param>
/// <param name="Std">Per-channel std.</param>
/// <param name="ToRgb">Whether colour frames were reordered to RGB.</param>
public sealed record NormalizeParams(IReadOnlyList<double> Mean, IReadOnlyList<double> Std, bool ToRgb) : TransformParams("Normalize")
{
    /// <inheritdoc />
    public bool Equals(NormalizeParams? other) =>
        other is not null && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std) && ToRgb == other.ToRgb;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mean.Count, ToRgb);
}

/// <summary>
/// <c>(x − mean) / std</c> per channel, to 32-bit float: colour frames (8-bit BGR) become RGB <c>CV_32FC3</c> with the
/// ImageNet defaults (mmaction2's); flow frames (8-bit quantized) become <c>CV_32FC2</c> with mean 128, std 128, so zero
/// motion is 0 and a later <see cref="Flip"/> negates x. One affine colour transform per frame.
/// </summary>
public sealed class Normalize : ClipTransform<NormalizeParams>, IFrameKernel
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public Normalize(NormalizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mean is { } m && options.Std is { } s && m.Count != s.Count)
            throw new Core.ToolkitError($"{Name}.Mean", $"has {m.Count} values but Std has {s.Count}");
        foreach (double s2 in options.Std ?? [])
            if (!(s2 > 0))
                throw new Core.ToolkitError($"{Name}.Std", $"must be positive, got {Check.F(s2)}");
        Options = options;
    }

    /// <summary>With the kind's defaults.</summary>
    public Normalize() : this(new NormalizeOptions())
    {
    }

    /// <summary>The validated options.</summary>
    public NormalizeOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "Normalize";

    /// <inheritdoc />
    public override NormalizeParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        bool rgb = info.Kind == ClipKind.Rgb;
        // The defaults are in RGB order: reversed when the output stays BGR.
        bool bgrOut = rgb && !Options.ToRgb;
        var mean = Options.Mean ?? (rgb ? (bgrOut ? NormalizeOptions.RgbMean.Reverse().ToArray() : NormalizeOptions.RgbMean) : NormalizeOptions.FlowMean);
        var std = Options.Std ?? (rgb ? (bgrOut ? NormalizeOptions.RgbStd.Reverse().ToArray() : NormalizeOptions.RgbStd) : NormalizeOptions.FlowStd);
        int channels = rgb ? 3 : 2;
        if (mean.Count != channels || std.Count != channels)
            throw new Core.ToolkitError($"{Name}.Mean", $"a {info.Kind} clip has {channels} channels, the options give {mean.Count}");
        return new NormalizeParams(mean, std, rgb && Options.ToRgb);
    }

    /// <inheritdoc />
    public override Clip Apply(Clip clip, NormalizeParams parameters)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(parameters);
        if (clip.Type.Depth != MatType.CV_8U)
            throw new Core.ToolkitError(Name, $"needs 8-bit frames, got {clip.Type}", "normalize once, as the last step");
        int channels = clip.Kind == ClipKind.Rgb ? 3 : 2;
        using var m = Matrix(parameters, channels);
        return ClipOps.Derive(clip, f => NormalizeFrame(f, m, channels), map => map, parameters);
    }

    private static Mat NormalizeFrame(Mat frame, Mat matrix, int channels)
    {
        using var asFloat = new Mat();
        frame.ConvertTo(asFloat, MatType.CV_32FC(channels));
        var dst = new Mat();
        Cv2.Transform(asFloat, dst, matrix);
        return dst;
    }

    (Mat Frame, bool View) IFrameKernel.ApplyFrame(Mat frame, ClipKind kind, TransformParams p)
    {
        var q = (NormalizeParams)p;
        if (frame.Depth() != MatType.CV_8U)
            throw new Core.ToolkitError(Name, $"needs 8-bit frames, got {frame.Type()}", "normalize once, as the last step");
        int channels = kind == ClipKind.Rgb ? 3 : 2;
        using var m = Matrix(q, channels);
        return (NormalizeFrame(frame, m, channels), false);
    }

    /// <summary>The channels × (channels + 1) affine matrix: reorder (BGR → RGB), scale by 1/std, subtract mean/std.</summary>
    internal static Mat Matrix(NormalizeParams p, int channels)
    {
        var m = new Mat(channels, channels + 1, MatType.CV_32FC1, Scalar.All(0));
        for (int c = 0; c < channels; c++)
        {
            int source = p.ToRgb ? channels - 1 - c : c; // RGB output channel c reads BGR input channel 2 − c
            m.Set(c, source, (float)(1 / p.Std[c]));
            m.Set(c, channels, (float)(-p.Mean[c] / p.Std[c]));
        }
        return m;
    }
}
