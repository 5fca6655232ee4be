using OpenCvSharp;
using Toolkit.Augment.Sampling;

namespace Toolkit.Augment.Geometry;

/// <summary>Options of the fixed-size crops (<see cref="RandomCrop"/>, <see cref="CenterCrop"/>, <see cref="ThreeCrop"/>, <see cref="TenCrop"/>).</summary>
public sealed record CropOptions
{
    /// <summary>Crop width.</summary>
    public int Width { get; init; } = 224;

    /// <summary>Crop height.</summary>
    public int Height { get; init; } = 224;
}

/// <summary>Where a crop was taken.</summary>
/// <param name="Transform">The transform's name.</param>
/// <param name="Box">The box in pixels of the frame it was cut from.</param>
/// <param name="Source">The same box in pixels of the original frame (mapped back through earlier resizes and crops).</param>
public sealed record CropParams(string Transform, PixelBox Box, RectD Source) : TransformParams(Transform);

/// <summary>
/// What RandomCrop and CenterCrop share: validated crop options, the recorded box (also mapped to the original frame), and
/// a crop applied as a view; they differ only in where the box is placed (<see cref="Place"/>).
/// </summary>
public abstract class SingleCropTransform : ClipTransform<CropParams>, IFrameKernel
{
    private readonly string _name;

    /// <summary>Validates <paramref name="options"/> for the transform called <paramref name="name"/>.</summary>
    private protected SingleCropTransform(CropOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        _name = name;
        Check.Size(name, nameof(options.Width), options.Width);
        Check.Size(name, nameof(options.Height), options.Height);
        Options = options;
    }

    /// <summary>The validated options.</summary>
    public CropOptions Options { get; }

    /// <inheritdoc />
    public override string Name => _name;

    /// <inheritdoc />
    public override CropParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        Check.Fits(Name, Options.Width, Options.Height, info);
        var box = Place(info, rng);
        return new CropParams(Name, box, info.Map.ToSource(box.ToRectD()));
    }

    /// <summary>The box for a frame of <paramref name="info"/>'s size, which the options fit.</summary>
    private protected abstract PixelBox Place(ClipInfo info, Random rng);

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

/// <summary>A crop of fixed size at a uniformly random position (mmaction2 <c>RandomCrop</c>: offsets <c>randint(0, W − w + 1)</c>). RGB and flow alike.</summary>
public sealed class RandomCrop : SingleCropTransform
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public RandomCrop(CropOptions options) : base(options, "RandomCrop")
    {
    }

    /// <summary>A <paramref name="size"/>×<paramref name="size"/> crop.</summary>
    public RandomCrop(int size) : this(new CropOptions { Width = size, Height = size })
    {
    }

    private protected override PixelBox Place(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int x = rng.NextInclusive(0, info.Width - Options.Width);
        int y = rng.NextInclusive(0, info.Height - Options.Height);
        return new PixelBox(x, y, Options.Width, Options.Height);
    }
}

/// <summary>A centred crop of fixed size (mmaction2 <c>CenterCrop</c>: left = (W − w) // 2, top = (H − h) // 2). RGB and flow alike.</summary>
public sealed class CenterCrop : SingleCropTransform
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public CenterCrop(CropOptions options) : base(options, "CenterCrop")
    {
    }

    /// <summary>A centred <paramref name="size"/>×<paramref name="size"/> crop.</summary>
    public CenterCrop(int size) : this(new CropOptions { Width = size, Height = size })
    {
    }

    private protected override PixelBox Place(ClipInfo info, Random rng) =>
        new((info.Width - Options.Width) / 2, (info.Height - Options.Height) / 2, Options.Width, Options.Height);
}

/// <summary>Where the views of a multi-crop were taken.</summary>
/// <param name="Transform">The transform's name.</param>
/// <param name="Boxes">One box per view, in pixels of the frame cut from.</param>
/// <param name="Sources">The boxes in pixels of the original frame.</param>
/// <param name="Flipped">Whether each view is mirrored.</param>
public sealed record MultiCropParams(string Transform, IReadOnlyList<PixelBox> Boxes, IReadOnlyList<RectD> Sources, IReadOnlyList<bool> Flipped)
    : TransformParams(Transform)
{
    /// <inheritdoc />
    public bool Equals(MultiCropParams? other) =>
        other is not null && Transform == other.Transform && Boxes.SequenceEqual(other.Boxes) && Sources.SequenceEqual(other.Sources) && Flipped.SequenceEqual(other.Flipped);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Transform, Boxes.Count, Boxes.Count > 0 ? Boxes[0] : default);
}

/// <summary>
/// What ThreeCrop and TenCrop share: validated crop options and an <see cref="Apply"/> that cuts every view of
/// <see cref="MultiCropParams"/> (mirrored views flip, inverting x flow); they differ only in where the views lie.
/// </summary>
public abstract class MultiCropTransform : ClipTransform<MultiCropParams>
{
    private readonly string _name;

    /// <summary>Validates <paramref name="options"/> for the transform called <paramref name="name"/>.</summary>
    private protected MultiCropTransform(CropOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        _name = name;
        Check.Size(name, nameof(options.Width), options.Width);
        Check.Size(name, nameof(options.Height), options.Height);
        Options = options;
    }

    /// <summary>The validated options.</summary>
    public CropOptions Options { get; }

    /// <inheritdoc />
    public override string Name => _name;

    /// <inheritdoc />
    public override Clip Apply(Clip clip, MultiCropParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ClipOps.MultiCrop(clip, parameters.Boxes, parameters.Flipped, parameters);
    }
}

/// <summary>
/// Three crops along the long side: start, end, middle (mmaction2 <c>ThreeCrop</c>, whose offsets these are: step =
/// (long − crop) // 2, views at 0, 2·step, step). mmaction2 asserts the crop spans the short side; here the short
/// axis is centred instead, so any crop that fits works. Views stacked as mmaction2 stacks them. RGB and flow alike.
/// </summary>
public sealed class ThreeCrop : MultiCropTransform
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public ThreeCrop(CropOptions options) : base(options, "ThreeCrop")
    {
    }

    /// <summary>Three <paramref name="size"/>×<paramref name="size"/> crops.</summary>
    public ThreeCrop(int size) : this(new CropOptions { Width = size, Height = size })
    {
    }

    /// <inheritdoc />
    public override MultiCropParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        Check.Fits(Name, Options.Width, Options.Height, info);
        int cw = Options.Width, ch = Options.Height;
        PixelBox[] boxes;
        if (info.Width - cw >= info.Height - ch)
        {
            int step = (info.Width - cw) / 2, y = (info.Height - ch) / 2;
            boxes = [new(0, y, cw, ch), new(2 * step, y, cw, ch), new(step, y, cw, ch)];
        }
        else
        {
            int step = (info.Height - ch) / 2, x = (info.Width - cw) / 2;
            boxes = [new(x, 0, cw, ch), new(x, 2 * step, cw, ch), new(x, step, cw, ch)];
        }
        return new MultiCropParams(Name, boxes, boxes.Select(b => info.Map.ToSource(b.ToRectD())).ToArray(), [false, false, false]);
    }
}

/// <summary>
/// Ten crops: four corners and the centre, then the same five mirrored (mmaction2 <c>TenCrop</c>: steps (W − w) // 4,
/// (H − h) // 4; offsets (0,0), (4s,0), (0,4t), (4s,4t), (2s,2t)). Mirrored flow views invert x flow.
/// </summary>
public sealed class TenCrop : MultiCropTransform
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public TenCrop(CropOptions options) : base(options, "TenCrop")
    {
    }

    /// <summary>Ten <paramref name="size"/>×<paramref name="size"/> crops.</summary>
    public TenCrop(int size) : this(new CropOptions { Width = size, Height = size })
    {
    }

    /// <inheritdoc />
    public override MultiCropParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        Check.Fits(Name, Options.Width, Options.Height, info);
        int cw = Options.Width, ch = Options.Height;
        int s = (info.Width - cw) / 4, t = (info.Height - ch) / 4;
        PixelBox[] five = [new(0, 0, cw, ch), new(4 * s, 0, cw, ch), new(0, 4 * t, cw, ch), new(4 * s, 4 * t, cw, ch), new(2 * s, 2 * t, cw, ch)];
        PixelBox[] boxes = [.. five, .. five];
        bool[] flipped = [false, false, false, false, false, true, true, true, true, true];
        return new MultiCropParams(Name, boxes, boxes.Select(b => info.Map.ToSource(b.ToRectD())).ToArray(), flipped);
    }
}
