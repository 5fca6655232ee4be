using OpenCvSharp;
using Toolkit.Augment.Color;
using Toolkit.Augment.Geometry;

namespace Toolkit.Augment.Pipeline;

/// <summary>
/// Transforms applied in order, each sampling its parameters once per clip from the caller's RNG. Immutable and
/// thread-safe (give each thread its own RNG); intermediate clips are disposed, the input is left as it was.
/// </summary>
public sealed class ClipPipeline
{
    /// <summary>A pipeline of <paramref name="transforms"/>.</summary>
    public ClipPipeline(IEnumerable<IClipTransform> transforms, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(transforms);
        Transforms = transforms.ToArray();
        Name = name;
    }

    /// <summary>Builds a pipeline fluently: <c>ClipPipeline.Build(x =&gt; x.RandomRescale(256, 320).RandomCrop(224).Flip(0.5))</c>.</summary>
    public static ClipPipeline Build(Func<PipelineBuilder, PipelineBuilder> configure, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(configure);
        return configure(new PipelineBuilder()).ToPipeline(name);
    }

    /// <summary>The recipe's name.</summary>
    public string Name { get; }

    /// <summary>The transforms, in order.</summary>
    public IReadOnlyList<IClipTransform> Transforms { get; }

    /// <summary>
    /// Runs every transform on <paramref name="clip"/>. Returns a new clip (the caller owns it, even when the pipeline is
    /// empty) whose <see cref="Clip.Applied"/> lists each transform's parameters.
    /// </summary>
    /// <remarks>
    /// When every transform has a per-frame kernel (all but the multi-view crops), the parameters are sampled first
    /// (<see cref="SampleOnly"/>: the same draws as step by step) and each frame then goes through every kernel while it
    /// is in cache, crops being views rather than copies until the end; otherwise the transforms run one after another
    /// over the whole clip. Both give identical pixels and records.
    /// </remarks>
    public Clip Run(Clip clip, Random rng)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(rng);
        if (clip.Views == 1 && Transforms.Count > 0 && Transforms.All(t => t is IFrameKernel))
            return RunFrameMajor(clip, rng);
        return RunStepByStep(clip, rng);
    }

    /// <summary>Each transform over the whole clip, one after another (the reference order of work).</summary>
    internal Clip RunStepByStep(Clip clip, Random rng)
    {
        Clip current = clip;
        try
        {
            foreach (var t in Transforms)
            {
                var next = t.Apply(current, t.Sample(current.Info, rng));
                if (!ReferenceEquals(current, clip))
                    current.Dispose();
                current = next;
            }
            return ReferenceEquals(current, clip) ? clip.Clone() : current;
        }
        catch
        {
            if (!ReferenceEquals(current, clip))
                current.Dispose();
            throw;
        }
    }

    private Clip RunFrameMajor(Clip clip, Random rng) => RunWith(clip, SampleOnly(clip.Info, rng), 0);

    /// <summary>True when <see cref="Run"/> works frame by frame (every transform has a per-frame kernel), the condition of <see cref="RunWith"/>.</summary>
    public bool IsFrameMajor => Transforms.Count > 0 && Transforms.All(t => t is IFrameKernel);

    /// <summary>
    /// Runs the transforms from index <paramref name="first"/> on with <paramref name="parameters"/> drawn before by
    /// <see cref="SampleOnly"/> (one per transform; those before <paramref name="first"/> are taken as done, e.g. a crop
    /// the decoder already made, see <see cref="LeadingCrop"/>). Frame-major pipelines only (<see cref="IsFrameMajor"/>),
    /// single-view clips. The same pixels as <see cref="Run"/> when the parameters are those it would draw.
    /// </summary>
    public Clip RunWith(Clip clip, IReadOnlyList<TransformParams> parameters, int first)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!IsFrameMajor || clip.Views != 1)
            throw new InvalidOperationException($"{Name}: only single-view clips through per-frame transforms run with given parameters");
        if (parameters.Count != Transforms.Count || first < 0 || first > Transforms.Count)
            throw new ArgumentException($"{parameters.Count} parameters from {first} for {Transforms.Count} transforms", nameof(parameters));
        var info = clip.Info;
        for (int k = first; k < parameters.Count; k++)
            info = Advance(info, parameters[k]);
        var kernels = Transforms.Skip(first).Cast<IFrameKernel>().ToArray();
        var given = parameters.Skip(first).ToArray();
        var frames = new List<Mat>(clip.Frames.Count);
        try
        {
            foreach (var source in clip.Frames)
            {
                Mat current = source;
                bool owned = false, view = false;
                try
                {
                    for (int k = 0; k < kernels.Length; k++)
                    {
                        var (next, nextView) = kernels[k].ApplyFrame(current, clip.Kind, given[k]);
                        if (owned)
                            current.Dispose(); // a view taken from it keeps the pixels alive
                        current = next;
                        owned = true;
                        view = nextView;
                    }
                    if (!owned)
                    {
                        current = source.Clone(); // nothing left to run: the result owns copies, not the input's frames
                        owned = true;
                    }
                    else if (view)
                    {
                        var copy = current.Clone();
                        current.Dispose();
                        current = copy;
                    }
                }
                catch
                {
                    if (owned)
                        current.Dispose();
                    throw;
                }
                frames.Add(current);
            }
            return new Clip(frames, clip.Kind, 1, info.Map, [.. clip.Applied, .. given]);
        }
        catch
        {
            foreach (var f in frames)
                f.Dispose();
            throw;
        }
    }

    /// <summary>Only samples the parameters the pipeline would apply to a clip described by <paramref name="info"/> (no pixels touched).</summary>
    /// <remarks>Consumes the RNG exactly as <see cref="Run"/> does, so the same seed gives the same parameters.</remarks>
    public IReadOnlyList<TransformParams> SampleOnly(ClipInfo info, Random rng)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(rng);
        var result = new List<TransformParams>(Transforms.Count);
        foreach (var t in Transforms)
        {
            var p = t.Sample(info, rng);
            result.Add(p);
            info = Advance(info, p);
        }
        return result;
    }

    /// <summary>
    /// The first pixels the pipeline reads, when its <paramref name="parameters"/> (drawn for a clip of
    /// <paramref name="info"/>) begin with resizes that keep the size and then one crop: that crop's box in the clip's
    /// frames and the index of the transform after it. Null otherwise. A decoder that makes only this box serves
    /// <see cref="RunWith"/> from that index with the same pixels.
    /// </summary>
    public static (PixelBox Box, int Next)? LeadingCrop(IReadOnlyList<TransformParams> parameters, ClipInfo info)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(info);
        for (int k = 0; k < parameters.Count; k++)
        {
            switch (parameters[k])
            {
                case ResizeParams r when r.Width == info.Width && r.Height == info.Height:
                case RandomRescaleParams q when q.Width == info.Width && q.Height == info.Height:
                    continue; // OpenCV copies a frame resized to its own size
                case CropParams c:
                    return (c.Box, k + 1);
                case ResizedCropParams c:
                    return (c.Box, k + 1);
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>The clip info after applying <paramref name="p"/>, without pixels.</summary>
    internal static ClipInfo Advance(ClipInfo info, TransformParams p) => p switch
    {
        ResizeParams r => info with { Width = r.Width, Height = r.Height, Map = info.Map.Resized(info.Width, info.Height, r.Width, r.Height) },
        RandomRescaleParams r => info with { Width = r.Width, Height = r.Height, Map = info.Map.Resized(info.Width, info.Height, r.Width, r.Height) },
        CropParams c => info with { Width = c.Box.W, Height = c.Box.H, Map = info.Map.Cropped(c.Box.X, c.Box.Y) },
        ResizedCropParams c => info with { Width = c.Box.W, Height = c.Box.H, Map = info.Map.Cropped(c.Box.X, c.Box.Y) },
        MultiCropParams c => info with { Width = c.Boxes[0].W, Height = c.Boxes[0].H, Map = info.Map.Cropped(c.Boxes[0].X, c.Boxes[0].Y) },
        FlipParams { Flipped: true } => info with { Map = info.Map.Flipped(info.Width) },
        _ => info,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {string.Join(" -> ", Transforms.Select(t => t.Name))}";
}

/// <summary>Fluent construction of a <see cref="ClipPipeline"/>; each call returns a new builder (immutable).</summary>
public sealed class PipelineBuilder
{
    private readonly IClipTransform[] _transforms;

    /// <summary>An empty builder.</summary>
    public PipelineBuilder() => _transforms = [];

    private PipelineBuilder(IClipTransform[] transforms) => _transforms = transforms;

    /// <summary>Appends any transform.</summary>
    public PipelineBuilder Add(IClipTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return new PipelineBuilder([.. _transforms, transform]);
    }

    /// <summary>Exact size, or short side when one of them is −1 (<c>Resize(-1, 256)</c>).</summary>
    public PipelineBuilder Resize(int width, int height) => Add(new Geometry.Resize(width, height));

    /// <summary>Keep-ratio resize to a short side drawn from [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public PipelineBuilder RandomRescale(int min, int max) => Add(new Geometry.RandomRescale(min, max));

    /// <summary>Inception-style random crop (crop only).</summary>
    public PipelineBuilder RandomResizedCrop(RandomResizedCropOptions? options = null) => Add(new Geometry.RandomResizedCrop(options ?? new()));

    /// <summary>Random fixed-size crop.</summary>
    public PipelineBuilder RandomCrop(int size) => Add(new Geometry.RandomCrop(size));

    /// <summary>Centred crop.</summary>
    public PipelineBuilder CenterCrop(int size) => Add(new Geometry.CenterCrop(size));

    /// <summary>Three crops along the long side.</summary>
    public PipelineBuilder ThreeCrop(int size) => Add(new Geometry.ThreeCrop(size));

    /// <summary>Corners, centre and their mirrors.</summary>
    public PipelineBuilder TenCrop(int size) => Add(new Geometry.TenCrop(size));

    /// <summary>TSN's multi-scale crop.</summary>
    public PipelineBuilder MultiScaleCrop(MultiScaleCropOptions? options = null) => Add(new Geometry.MultiScaleCrop(options ?? new()));

    /// <summary>Horizontal flip with probability <paramref name="probability"/> (flow-aware).</summary>
    public PipelineBuilder Flip(double probability = 0.5) => Add(new Geometry.Flip(probability));

    /// <summary>Colour jitter (RGB only).</summary>
    public PipelineBuilder ColorJitter(ColorJitterOptions? options = null) => Add(new Color.ColorJitter(options ?? new()));

    /// <summary>Normalize to float with the kind's defaults or <paramref name="options"/>.</summary>
    public PipelineBuilder Normalize(NormalizeOptions? options = null) => Add(new Color.Normalize(options ?? new()));

    /// <summary>The pipeline.</summary>
    public ClipPipeline ToPipeline(string name = "custom") => new(_transforms, name);
}
