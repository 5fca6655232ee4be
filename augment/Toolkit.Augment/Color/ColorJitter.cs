using OpenCvSharp;
using Toolkit.Augment.Geometry;
using Toolkit.Augment.Sampling;

namespace Toolkit.Augment.Color;

/// <summary>Options of <see cref="ColorJitter"/>: each factor is drawn from [max(0, 1 − v), 1 + v] (hue: [−v, v]).</summary>
public sealed record ColorJitterOptions
{
    /// <summary>Brightness jitter (0 = none).</summary>
    public double Brightness { get; init; } = 0.4;

    /// <summary>Contrast jitter (0 = none).</summary>
    public double Contrast { get; init; } = 0.4;

    /// <summary>Saturation jitter (0 = none).</summary>
    public double Saturation { get; init; } = 0.4;

    /// <summary>Hue jitter in turns, at most 0.5 (0 = none).</summary>
    public double Hue { get; init; } = 0.1;
}

/// <summary>The factors <see cref="ColorJitter"/> drew and the order it applies them in.</summary>
/// <param name="Brightness">Multiplier of all channels.</param>
/// <param name="Contrast">Blend factor against the frame's mean gray level.</param>
/// <param name="Saturation">Blend factor against the frame's gray image.</param>
/// <param name="Hue">Hue shift in turns.</param>
/// <param name="Order">Order of the four adjustments (0 brightness, 1 contrast, 2 saturation, 3 hue).</param>
public sealed record ColorJitterParams(double Brightness, double Contrast, double Saturation, double Hue, IReadOnlyList<int> Order)
    : TransformParams("ColorJitter")
{
    /// <inheritdoc />
    public bool Equals(ColorJitterParams? other) =>
        other is not null && Brightness == other.Brightness && Contrast == other.Contrast && Saturation == other.Saturation && Hue == other.Hue && Order.SequenceEqual(other.Order);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Brightness, Contrast, Saturation, Hue);
}

/// <summary>
/// torchvision-style colour jitter with one set of factors per clip, applied in a random order drawn per clip:
/// brightness <c>b·x</c>, contrast <c>c·x + (1 − c)·mean(gray)</c>, saturation <c>s·x + (1 − s)·gray</c>, hue a
/// rotation of OpenCV's 8-bit hue (180 steps per turn). 8-bit BGR only: refused on flow (it has no colour) and on
/// normalized frames (apply it before <see cref="Normalize"/>).
/// </summary>
public sealed class ColorJitter : ClipTransform<ColorJitterParams>, IFrameKernel
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public ColorJitter(ColorJitterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check.Range(Name, nameof(options.Brightness), options.Brightness, 0, 10);
        Check.Range(Name, nameof(options.Contrast), options.Contrast, 0, 10);
        Check.Range(Name, nameof(options.Saturation), options.Saturation, 0, 10);
        Check.Range(Name, nameof(options.Hue), options.Hue, 0, 0.5);
        Options = options;
    }

    /// <summary>With the defaults.</summary>
    public ColorJitter() : this(new ColorJitterOptions())
    {
    }

    /// <summary>The validated options.</summary>
    public ColorJitterOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "ColorJitter";

    /// <inheritdoc />
    public override ColorJitterParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(rng);
        if (info.Kind != ClipKind.Rgb)
            throw new Core.ToolkitError(Name, "cannot jitter the colours of a flow clip", "use ColorJitter in RGB recipes only");
        int[] order = [0, 1, 2, 3];
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        double Factor(double v) => v == 0 ? 1 : rng.Uniform(Math.Max(0, 1 - v), 1 + v);
        double b = Factor(Options.Brightness), c = Factor(Options.Contrast), s = Factor(Options.Saturation);
        double h = Options.Hue == 0 ? 0 : rng.Uniform(-Options.Hue, Options.Hue);
        return new ColorJitterParams(b, c, s, h, order);
    }

    /// <inheritdoc />
    public override Clip Apply(Clip clip, ColorJitterParams parameters)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(parameters);
        if (clip.Kind != ClipKind.Rgb || clip.Type != MatType.CV_8UC3)
            throw new Core.ToolkitError(Name, $"needs 8-bit BGR frames, got a {clip.Kind} clip of {clip.Type}", "apply ColorJitter before Normalize, on RGB clips");
        return ClipOps.Derive(clip, f => Jitter(f, parameters), m => m, parameters);
    }

    (Mat Frame, bool View) IFrameKernel.ApplyFrame(Mat frame, ClipKind kind, TransformParams p)
    {
        var q = (ColorJitterParams)p;
        if (kind != ClipKind.Rgb || frame.Type() != MatType.CV_8UC3)
            throw new Core.ToolkitError(Name, $"needs 8-bit BGR frames, got a {kind} clip of {frame.Type()}", "apply ColorJitter before Normalize, on RGB clips");
        return (Jitter(frame, q), false);
    }

    /// <summary>Jitters one 8-bit BGR frame (the kernel); the caller owns the result.</summary>
    public static Mat Jitter(Mat frame, ColorJitterParams p)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(p);
        var current = frame.Clone();
        foreach (int step in p.Order)
        {
            var next = new Mat();
            switch (step)
            {
                case 0:
                    current.ConvertTo(next, -1, p.Brightness, 0);
                    break;
                case 1:
                {
                    using var gray = new Mat();
                    Cv2.CvtColor(current, gray, ColorConversionCodes.BGR2GRAY);
                    double mean = Cv2.Mean(gray).Val0;
                    current.ConvertTo(next, -1, p.Contrast, (1 - p.Contrast) * mean);
                    break;
                }
                case 2:
                {
                    using var gray = new Mat();
                    using var gray3 = new Mat();
                    Cv2.CvtColor(current, gray, ColorConversionCodes.BGR2GRAY);
                    Cv2.CvtColor(gray, gray3, ColorConversionCodes.GRAY2BGR);
                    Cv2.AddWeighted(current, p.Saturation, gray3, 1 - p.Saturation, 0, next);
                    break;
                }
                default:
                    ShiftHue(current, next, p.Hue);
                    break;
            }
            current.Dispose();
            current = next;
        }
        return current;
    }

    private static void ShiftHue(Mat bgr, Mat dst, double turns)
    {
        int shift = (int)Math.Round(turns * 180, MidpointRounding.ToEven);
        if (shift == 0)
        {
            bgr.CopyTo(dst);
            return;
        }
        using var hsv = new Mat();
        Cv2.CvtColor(bgr, hsv, ColorConversionCodes.BGR2HSV);
        var channels = Cv2.Split(hsv);
        try
        {
            using var lut = new Mat(1, 256, MatType.CV_8UC1);
            var table = new byte[256];
            for (int v = 0; v < 256; v++) // a 256-entry table, not a per-pixel loop
                table[v] = (byte)(v < 180 ? ((v + shift) % 180 + 180) % 180 : v);
            lut.SetArray(table);
            using var shifted = new Mat();
            Cv2.LUT(channels[0], lut, shifted);
            shifted.CopyTo(channels[0]);
            using var merged = new Mat();
            Cv2.Merge(channels, merged);
            Cv2.CvtColor(merged, dst, ColorConversionCodes.HSV2BGR);
        }
        finally
        {
            foreach (var c in channels)
                c.Dispose();
        }
    }
}
