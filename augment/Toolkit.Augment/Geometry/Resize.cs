using System.Text.Json.Serialization;
using OpenCvSharp;

namespace Toolkit.Augment.Geometry;

/// <summary>Interpolation of resizes (OpenCV's, as mmcv uses them).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Interpolation>))]
public enum Interpolation
{
    /// <summary>Bilinear (<c>INTER_LINEAR</c>), mmaction2's default.</summary>
    Bilinear,

    /// <summary>Nearest neighbour.</summary>
    Nearest,

    /// <summary>Bicubic.</summary>
    Bicubic,

    /// <summary>Pixel-area averaging (best for strong downscaling).</summary>
    Area,
}

/// <summary>Options of <see cref="Resize"/>.</summary>
public sealed record ResizeOptions
{
    /// <summary>Target width, or −1 to keep the aspect ratio (then <see cref="Height"/> is the short side).</summary>
    public int Width { get; init; } = -1;

    /// <summary>Target height, or −1 to keep the aspect ratio (then <see cref="Width"/> is the short side).</summary>
    public int Height { get; init; } = 256;

    /// <summary>Interpolation.</summary>
    public Interpolation Interpolation { get; init; } = Interpolation.Bilinear;
}

/// <summary>What <see cref="Resize"/> did: the size it produced.</summary>
/// <param name="Width">Output width.</param>
/// <param name="Height">Output height.</param>
public sealed record ResizeParams(int Width, int Height) : TransformParams("Resize");

/// <summary>
/// Resize to exactly W×H, or keep the ratio with the short side set (mmaction2 <c>Resize(scale=(-1, S), keep_ratio=True)</c>;
/// sizes rounded as mmcv's <c>rescale_size</c>: <c>int(side · S / short + 0.5)</c>). RGB and flow alike (flow values are
/// not rescaled, as in mmaction2).
/// </summary>
public sealed class Resize : ClipTransform<ResizeParams>, IFrameKernel
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public Resize(ResizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Width == -1 && options.Height == -1)
            throw new Core.ToolkitError("Resize.Width", "Width and Height cannot both be -1");
        if (options.Width != -1)
            Check.Size(Name, nameof(options.Width), options.Width);
        if (options.Height != -1)
            Check.Size(Name, nameof(options.Height), options.Height);
        Options = options;
    }

    /// <summary>Exact size, or short side when one of them is −1.</summary>
    public Resize(int width, int height) : this(new ResizeOptions { Width = width, Height = height })
    {
    }

    /// <summary>The validated options.</summary>
    public ResizeOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "Resize";

    /// <inheritdoc />
    public override ResizeParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (Options.Width != -1 && Options.Height != -1)
            return new ResizeParams(Options.Width, Options.Height);
        var (w, h) = ShortSide(info.Width, info.Height, Options.Width == -1 ? Options.Height : Options.Width);
        return new ResizeParams(w, h);
    }

    /// <inheritdoc />
    public override Clip Apply(Clip clip, ResizeParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ClipOps.Resize(clip, parameters.Width, parameters.Height, Options.Interpolation.ToOpenCv(), parameters);
    }

    (Mat Frame, bool View) IFrameKernel.ApplyFrame(Mat frame, ClipKind kind, TransformParams p)
    {
        var q = (ResizeParams)p;
        return (ClipOps.ResizeFrame(frame, q.Width, q.Height, Options.Interpolation.ToOpenCv()), false);
    }

    /// <summary>The size with the short side set to <paramref name="shortSide"/>, rounded as mmcv's <c>rescale_size</c>.</summary>
    public static (int Width, int Height) ShortSide(int width, int height, int shortSide)
    {
        double scale = (double)shortSide / Math.Min(width, height);
        return ((int)(width * scale + 0.5), (int)(height * scale + 0.5));
    }
}

/// <summary>Interpolation helpers.</summary>
public static class InterpolationExtensions
{
    /// <summary>The OpenCV flag.</summary>
    public static InterpolationFlags ToOpenCv(this Interpolation interpolation) => interpolation switch
    {
        Interpolation.Nearest => InterpolationFlags.Nearest,
        Interpolation.Bicubic => InterpolationFlags.Cubic,
        Interpolation.Area => InterpolationFlags.Area,
        _ => InterpolationFlags.Linear,
    };
}
