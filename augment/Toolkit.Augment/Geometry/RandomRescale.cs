using OpenCvSharp;
namespace Toolkit.Augment.Geometry;

/// <summary>Options of <see cref="RandomRescale"/>.</summary>
public sealed record RandomRescaleOptions
{
    /// <summary>Smallest short side (inclusive).</summary>
    public int Min { get; init; } = 256;

    /// <summary>Largest short side (inclusive).</summary>
    public int Max { get; init; } = 320;

    /// <summary>Interpolation.</summary>
    public Interpolation Interpolation { get; init; } = Interpolation.Bilinear;
}

/// <summary>What <see cref="RandomRescale"/> drew.</summary>
/// <param name="ShortSide">The short side drawn.</param>
/// <param name="Width">Output width.</param>
/// <param name="Height">Output height.</param>
public sealed record RandomRescaleParams(int ShortSide, int Width, int Height) : TransformParams("RandomRescale");

/// <summary>
/// Keep-ratio resize to a short side drawn uniformly from the integers in [Min, Max] (mmaction2 <c>RandomRescale</c>,
/// <c>randint(min, max + 1)</c>), sized as <see cref="Resize"/>. RGB and flow alike.
/// </summary>
public sealed class RandomRescale : ClipTransform<RandomRescaleParams>, IFrameKernel
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public RandomRescale(RandomRescaleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check.Size(Name, nameof(options.Min), options.Min);
        Check.Size(Name, nameof(options.Max), options.Max);
        Check.Ordered(Name, nameof(options.Min), options.Min, nameof(options.Max), options.Max);
        Options = options;
    }

    /// <summary>Short side uniform in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public RandomRescale(int min, int max) : this(new RandomRescaleOptions { Min = min, Max = max })
    {
    }

    /// <summary>The validated options.</summary>
    public RandomRescaleOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "RandomRescale";

    /// <inheritdoc />
    public override RandomRescaleParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(rng);
        int side = rng.Next(Options.Min, Options.Max + 1);
        var (w, h) = Resize.ShortSide(info.Width, info.Height, side);
        return new RandomRescaleParams(side, w, h);
    }

    /// <inheritdoc />
    public override Clip Apply(Clip clip, RandomRescaleParams parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ClipOps.Resize(clip, parameters.Width, parameters.Height, Options.Interpolation.ToOpenCv(), parameters);
    }

    (Mat Frame, bool View) IFrameKernel.ApplyFrame(Mat frame, ClipKind kind, TransformParams p)
    {
        var q = (RandomRescaleParams)p;
        return (ClipOps.ResizeFrame(frame, q.Width, q.Height, Options.Interpolation.ToOpenCv()), false);
    }
}
