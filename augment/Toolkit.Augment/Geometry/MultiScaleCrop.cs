using OpenCvSharp;
namespace Toolkit.Augment.Geometry;

/// <summary>Options of <see cref="MultiScaleCrop"/> (TSN's defaults).</summary>
public sealed record MultiScaleCropOptions
{
    /// <summary>Network input width: a crop side within 3 px of it snaps to it.</summary>
    public int Width { get; init; } = 224;

    /// <summary>Network input height.</summary>
    public int Height { get; init; } = 224;

    /// <summary>Crop sides as fractions of the frame's short side.</summary>
    public IReadOnlyList<double> Scales { get; init; } = [1, 0.875, 0.75, 0.66];

    /// <summary>Largest index distance between the width scale and the height scale.</summary>
    public int MaxScaleGap { get; init; } = 1;

    /// <summary>Random position instead of one of the fixed positions.</summary>
    public bool RandomPosition { get; init; }

    /// <summary>Fixed positions: 5 (corners, centre) or 13 (adds edge midpoints and quarter points).</summary>
    public int FixedCrops { get; init; } = 5;
}

/// <summary>
/// TSN's multi-scale crop (mmaction2 <c>MultiScaleCrop</c>): crop sides int(short · s) for scales s, a (w, h) pair with
/// scale indices at most <see cref="MultiScaleCropOptions.MaxScaleGap"/> apart chosen uniformly, sides within 3 px of
/// the input size snapped to it, then a fixed position (5 or 13, offsets in steps of (W − w) // 4) or a random one.
/// Crop only: a <see cref="Resize"/> to the input size follows. RGB and flow alike.
/// </summary>
public sealed class MultiScaleCrop : ClipTransform<CropParams>, IFrameKernel
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public MultiScaleCrop(MultiScaleCropOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check.Size(Name, nameof(options.Width), options.Width);
        Check.Size(Name, nameof(options.Height), options.Height);
        if (options.Scales is not { Count: > 0 })
            throw new Core.ToolkitError($"{Name}.{nameof(options.Scales)}", "needs at least one scale");
        foreach (double s in options.Scales)
            Check.Range(Name, nameof(options.Scales), s, 1e-3, 1);
        Check.Range(Name, nameof(options.MaxScaleGap), options.MaxScaleGap, 0, 100);
        if (options.FixedCrops is not (5 or 13))
            throw new Core.ToolkitError($"{Name}.{nameof(options.FixedCrops)}", $"must be 5 or 13, got {options.FixedCrops}");
        Options = options;
    }

    /// <summary>With TSN's defaults.</summary>
    public MultiScaleCrop() : this(new MultiScaleCropOptions())
    {
    }

    /// <summary>The validated options.</summary>
    public MultiScaleCropOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "MultiScaleCrop";

    /// <inheritdoc />
    public override CropParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(rng);
        int baseSize = Math.Min(info.Width, info.Height);
        int[] sides = Options.Scales.Select(s => (int)(baseSize * s)).ToArray();
        var candidates = new List<(int W, int H)>();
        for (int i = 0; i < sides.Length; i++)
            for (int j = 0; j < sides.Length; j++)
                if (Math.Abs(i - j) <= Options.MaxScaleGap)
                    candidates.Add((sides[j], sides[i]));
        var (cw, ch) = candidates[rng.Next(candidates.Count)];
        if (Math.Abs(cw - Options.Width) < 3)
            cw = Options.Width;
        if (Math.Abs(ch - Options.Height) < 3)
            ch = Options.Height;
        cw = Math.Clamp(cw, 1, info.Width);
        ch = Math.Clamp(ch, 1, info.Height);
        int x, y;
        if (Options.RandomPosition)
        {
            x = rng.Next(0, info.Width - cw + 1);
            y = rng.Next(0, info.Height - ch + 1);
        }
        else
        {
            int s = (info.Width - cw) / 4, t = (info.Height - ch) / 4;
            var offsets = new List<(int, int)> { (0, 0), (4 * s, 0), (0, 4 * t), (4 * s, 4 * t), (2 * s, 2 * t) };
            if (Options.FixedCrops == 13)
                offsets.AddRange([(0, 2 * t), (4 * s, 2 * t), (2 * s, 4 * t), (2 * s, 0), (1 * s, 1 * t), (3 * s, 1 * t), (1 * s, 3 * t), (3 * s, 3 * t)]);
            (x, y) = offsets[rng.Next(offsets.Count)];
        }
        var box = new PixelBox(x, y, cw, ch);
        return new CropParams(Name, box, info.Map.ToSource(box.ToRectD()));
    }

    /// <inheritdoc />
    public override Clip Apply(Clip clip, CropParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ClipOps.Crop(clip, parameters.Box, parameters);
    }

    (Mat Frame, bool View) IFrameKernel.ApplyFrame(Mat frame, ClipKind kind, TransformParams p)
    {
        var q = (CropParams)p;
        return (ClipOps.CropView(frame, q.Box), true);
    }
}
