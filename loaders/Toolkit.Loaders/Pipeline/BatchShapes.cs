using Toolkit.Core;

namespace Toolkit.Loaders.Pipeline;

/// <summary>
/// The shape of one batch: clips in it, frames per clip (T) and crop side (S, square). The multigrid schedule changes
/// it per epoch (long cycle) and per iteration (short cycle).
/// </summary>
/// <param name="BatchSize">Samples in the batch (≥ 1).</param>
/// <param name="Frames">Frames per clip, T (≥ 1).</param>
/// <param name="Crop">Crop side in pixels, S (≥ 1); the recipe for this S makes S × S clips.</param>
public readonly record struct BatchShape(int BatchSize, int Frames, int Crop)
{
    /// <summary>Throws a <see cref="ToolkitError"/> naming <paramref name="source"/> when a field is below 1.</summary>
    public BatchShape Validated(string source)
    {
        if (BatchSize < 1 || Frames < 1 || Crop < 1)
            throw new ToolkitError(source, $"gave the shape {this}", "batch size, frames and crop must all be 1 or more");
        return this;
    }
}

/// <summary>
/// Where the loader gets its batch shapes. <see cref="ForIteration"/> is asked once per iteration, in order, while the
/// epoch's batches are planned, and its answer is final for that iteration (it already includes any short-cycle
/// change); <see cref="ForEpoch"/> is the epoch's base (long-cycle) shape, used for reporting. Implementations must be
/// pure functions of their arguments (the loader may ask again to count iterations) and thread-safe.
/// </summary>
public interface IBatchShapes
{
    /// <summary>The base shape of epoch <paramref name="epoch"/> (0-based).</summary>
    BatchShape ForEpoch(int epoch);

    /// <summary>The shape of iteration <paramref name="iteration"/> (0-based, restarting every epoch) of epoch <paramref name="epoch"/>.</summary>
    BatchShape ForIteration(int epoch, int iteration);

    /// <summary>
    /// The largest frame interval a clip of <paramref name="epoch"/> may be sampled with (drawn uniformly from
    /// [<paramref name="frameInterval"/>, this]), or 0 to leave it to <see cref="LoaderOptions.LongCycleSamplingRate"/>.
    /// The multigrid long cycle raises it when clips have fewer frames than the base shape.
    /// </summary>
    int SamplingRateLimit(int epoch, int frameInterval) => 0;
}

/// <summary>The same shape for every epoch and iteration.</summary>
public sealed class FixedShapes : IBatchShapes
{
    /// <summary>Always <paramref name="shape"/>.</summary>
    public FixedShapes(BatchShape shape) => Shape = shape.Validated("FixedShapes");

    /// <summary>Always <c>new BatchShape(batchSize, frames, crop)</c>.</summary>
    public FixedShapes(int batchSize, int frames, int crop) : this(new BatchShape(batchSize, frames, crop))
    {
    }

    /// <summary>The shape.</summary>
    public BatchShape Shape { get; }

    /// <inheritdoc />
    public BatchShape ForEpoch(int epoch) => Shape;

    /// <inheritdoc />
    public BatchShape ForIteration(int epoch, int iteration) => Shape;
}

/// <summary>Shapes from two functions (handy for tests and for plugging a schedule in without a class).</summary>
public sealed class DelegateShapes : IBatchShapes
{
    private readonly Func<int, BatchShape> _epoch;
    private readonly Func<int, int, BatchShape> _iteration;

    /// <summary>Shapes from <paramref name="epoch"/> and <paramref name="iteration"/> (null: the epoch's shape).</summary>
    public DelegateShapes(Func<int, BatchShape> epoch, Func<int, int, BatchShape>? iteration = null)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        _epoch = epoch;
        _iteration = iteration ?? ((e, _) => epoch(e));
    }

    /// <inheritdoc />
    public BatchShape ForEpoch(int epoch) => _epoch(epoch);

    /// <inheritdoc />
    public BatchShape ForIteration(int epoch, int iteration) => _iteration(epoch, iteration);
}
