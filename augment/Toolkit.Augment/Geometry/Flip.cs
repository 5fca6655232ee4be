using OpenCvSharp;
using Toolkit.Augment.Sampling;

namespace Toolkit.Augment.Geometry;

/// <summary>Options of <see cref="Flip"/>.</summary>
public sealed record FlipOptions
{
    /// <summary>Probability that a clip is mirrored.</summary>
    public double Probability { get; init; } = 0.5;
}

/// <summary>Whether <see cref="Flip"/> mirrored the clip.</summary>
/// <param name="Flipped">True when mirrored.</param>
public sealed record FlipParams(bool Flipped) : TransformParams("Flip");

/// <summary>
/// Horizontal flip of the whole clip with probability p (mmaction2 <c>Flip</c>, drawn once per clip). Flow-aware:
/// flow x is inverted (<c>255 − v</c> quantized, <c>−v</c> float), flow y kept.
/// </summary>
public sealed class Flip : ClipTransform<FlipParams>, IFrameKernel
{
    /// <summary>Creates the transform; throws <see cref="Core.ToolkitError"/> naming a bad option.</summary>
    public Flip(FlipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check.Range(Name, nameof(options.Probability), options.Probability, 0, 1);
        Options = options;
    }

    /// <summary>Mirrors with probability <paramref name="probability"/>.</summary>
    public Flip(double probability = 0.5) : this(new FlipOptions { Probability = probability })
    {
    }

    /// <summary>The validated options.</summary>
    public FlipOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "Flip";

    /// <inheritdoc />
    public override FlipParams SampleParams(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return new FlipParams(rng.Bernoulli(Options.Probability));
    }

    /// <inheritdoc />
    public override Clip Apply(Clip clip, FlipParams parameters)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Flipped
            ? ClipOps.FlipHorizontal(clip, parameters)
            : ClipOps.Derive(clip, f => f.Clone(), m => m, parameters);
    }

    (Mat Frame, bool View) IFrameKernel.ApplyFrame(Mat frame, ClipKind kind, TransformParams p)
    {
        var q = (FlipParams)p;
        return q.Flipped ? (ClipOps.FlipFrame(frame, kind), false) : (ClipOps.CropView(frame, new PixelBox(0, 0, frame.Width, frame.Height)), true);
    }
}
