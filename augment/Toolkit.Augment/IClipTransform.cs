namespace Toolkit.Augment;

/// <summary>
/// A clip transform: parameters are sampled once per clip from an explicit RNG (<see cref="Sample"/>), then applied to
/// every frame (<see cref="Apply"/>). Implementations are immutable and thread-safe; the RNG is the caller's.
/// </summary>
public interface IClipTransform
{
    /// <summary>The name recipes use (<c>Resize</c>, <c>RandomResizedCrop</c>, ...).</summary>
    string Name { get; }

    /// <summary>Samples this transform's parameters for a clip described by <paramref name="info"/>.</summary>
    TransformParams Sample(ClipInfo info, Random rng);

    /// <summary>
    /// Applies parameters sampled by <see cref="Sample"/>. Returns a new clip (the caller owns it) with the parameters
    /// appended to <see cref="Clip.Applied"/>; <paramref name="clip"/> is neither changed nor disposed.
    /// </summary>
    Clip Apply(Clip clip, TransformParams parameters);
}

/// <summary>Base of the transforms: typed parameters, validated once.</summary>
/// <typeparam name="TParams">The parameter record.</typeparam>
public abstract class ClipTransform<TParams> : IClipTransform where TParams : TransformParams
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>Samples the parameters for one clip.</summary>
    public abstract TParams SampleParams(ClipInfo info, Random rng);

    /// <summary>Applies <paramref name="parameters"/> to every frame of <paramref name="clip"/>, returning a new clip.</summary>
    public abstract Clip Apply(Clip clip, TParams parameters);

    /// <summary>Samples and applies in one step.</summary>
    public Clip Apply(Clip clip, Random rng)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(rng);
        return Apply(clip, SampleParams(clip.Info, rng));
    }

    TransformParams IClipTransform.Sample(ClipInfo info, Random rng) => SampleParams(info, rng);

    Clip IClipTransform.Apply(Clip clip, TransformParams parameters) =>
        Apply(clip, parameters as TParams ?? throw new ArgumentException($"{Name} cannot apply {parameters?.GetType().Name ?? "null"}", nameof(parameters)));

    /// <inheritdoc />
    public override string ToString() => Name;
}
