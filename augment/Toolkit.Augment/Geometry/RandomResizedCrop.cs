using OpenCvSharp;
using Toolkit.Augment.Sampling;

namespace Toolkit.Augment.Geometry;

/// <summary>Options of <see cref="RandomResizedCrop"/>.</summary>
public sealed record RandomResizedCropOptions
{
    /// <summary>Smallest fraction of the frame's area.</summary>
    public double AreaMin { get; init; } = 0.08;

    /// <summary>Largest fraction of the frame's area.</summary>
    public double AreaMax { get; init; } = 1.0;

    /// <summary>Smallest aspect ratio (width / height); the ratio is drawn log-uniformly.</summary>
    public double AspectMin { get; init; } = 3.0 / 4.0;

    /// <summary>Largest aspect ratio (width / height).</summary>
    public double AspectMax { get; init; } = 4.0 / 3.0;

    /// <summary>Draws before the fallback.</summary>
    public int Attempts { get; init; } = 10;
}

/// <summary>What <see cref="RandomResizedCrop"/> chose.</summary>
/// <param name="Box">The crop in pixels of the frame it was cut from.</param>
/// <param name="Source">The crop in pixels of the original frame.</param>
/// <param name="Fallback">True when no draw fitted and the fallback crop was taken.</param>
/// <param name="Attempts">Draws made (the fallback counts all of them).</param>
public sealed record ResizedCropParams(PixelBox Box, RectD Source, bool Fallback, int Attempts) : TransformParams("RandomResizedCrop");

/// <summary>
/// Inception-style random crop (crop only; a <see cref="Resize"/> to 224×224 follows in the recipes): area fraction
/// uniform in [AreaMin, AreaMax], aspect ratio log-uniform in [AspectMin, AspectMax], w = round(√(area·r)),
/// h = round(√(area/r)), accepted when it fits, position uniform; up to <see cref="RandomResizedCropOptions.Attempts"/> draws.
/// </summary>
/// <remarks>
/// Fallback (no draw fitted): torchvision's, a centred crop of the whole frame with its aspect ratio clamped into
/// [AspectMin, AspectMax] (w = W, h = round(W / AspectMax) when the frame is wider than AspectMax; h = H,
/// w = round(H · AspectMin) when narrower than AspectMin; the whole frame otherwise). mmaction2 takes a centred square
/// of the short side instead; torchvision's keeps more of the frame and stays within the ratio range the draws use.
/// Same parameters for every frame of the clip; RGB and flow alike.
/// </remarks>
public sealed class RandomResizedCrop : ClipTransform<ResizedCropParams>, IFrameKernel
{
    private readonly double _logAspectMin;
    private readonly double _logAspectMax;

    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public RandomResizedCrop(RandomResizedCropOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check.Range(Name, nameof(options.AreaMin), options.AreaMin, double.Epsilon, 1);
        Check.Range(Name, nameof(options.AreaMax), options.AreaMax, double.Epsilon, 1);
        Check.Ordered(Name, nameof(options.AreaMin), options.AreaMin, nameof(options.AreaMax), options.AreaMax);
        Check.Range(Name, nameof(options.AspectMin), options.AspectMin, 1e-3, 1e3);
        Check.Range(Name, nameof(options.AspectMax), options.AspectMax, 1e-3, 1e3);
        Check.Ordered(Name, nameof(options.AspectMin), options.AspectMin, nameof(options.AspectMax), options.AspectMax);
        Check.Range(Name, nameof(options.Attempts), options.Attempts, 0, 1000);
        Options = options;
        _logAspectMin = Math.Log(options.AspectMin);
        _logAspectMax = Math.Log(options.AspectMax);
    }

    /// <summary>With the defaults (area 0.08–1, aspect 3/4–4/3, 10 attempts).</summary>
    public RandomResizedCrop() : this(new RandomResizedCropOptions())
    {
    }

    /// <summary>The validated options.</summary>
    public RandomResizedCropOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "RandomResizedCrop";

    /// <inheritdoc />
    public override ResizedCropParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(rng);
        int width = info.Width, height = info.Height;
        double area = (double)width * height;
        for (int attempt = 1; attempt <= Options.Attempts; attempt++)
        {
            double target = area * rng.Uniform(Options.AreaMin, Options.AreaMax);
            double aspect = Math.Exp(rng.Uniform(_logAspectMin, _logAspectMax));
            int w = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (w > 0 && h > 0 && w <= width && h <= height)
            {
                int x = rng.NextInclusive(0, width - w);
                int y = rng.NextInclusive(0, height - h);
                var box = new PixelBox(x, y, w, h);
                return new ResizedCropParams(box, info.Map.ToSource(box.ToRectD()), false, attempt);
            }
        }
        var fallback = Fallback(width, height);
        return new ResizedCropParams(fallback, info.Map.ToSource(fallback.ToRectD()), true, Options.Attempts);
    }

    /// <summary>The fallback crop for a <paramref name="width"/>×<paramref name="height"/> frame (see the remarks).</summary>
    public PixelBox Fallback(int width, int height)
    {
        double ratio = (double)width / height;
        int w, h;
        if (ratio < Options.AspectMin)
        {
            w = width;
            h = Math.Clamp((int)Math.Round(w / Options.AspectMin, MidpointRounding.ToEven), 1, height);
        }
        else if (ratio > Options.AspectMax)
        {
            h = height;
            w = Math.Clamp((int)Math.Round(h * Options.AspectMax, MidpointRounding.ToEven), 1, width);
        }
        else
        {
            (w, h) = (width, height);
        }
        return new PixelBox((width - w) / 2, (height - h) / 2, w, h);
    }

    /// <inheritdoc />
    public override Clip Apply(Clip clip, ResizedCropParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ClipOps.Crop(clip, parameters.Box, parameters);
    }

    (Mat Frame, bool View) IFrameKernel.ApplyFrame(Mat frame, ClipKind kind, TransformParams p)
    {
        var q = (ResizedCropParams)p;
        return (ClipOps.CropView(frame, q.Box), true);
    }
}
