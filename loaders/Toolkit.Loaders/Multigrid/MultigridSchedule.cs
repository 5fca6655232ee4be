using Toolkit.Loaders.Pipeline;

namespace Toolkit.Loaders.Multigrid;

/// <summary>One stage of the long cycle: its shape and the epoch it ends at (exclusive).</summary>
/// <param name="Step">Index of the base schedule's learning-rate step it belongs to (the last stage, the fine-tune phase, is one past the last step).</param>
/// <param name="BatchMultiplier">Batch size relative to the base batch (B = round(T0·S0² / (T·S²))).</param>
/// <param name="Frames">Frames per clip T.</param>
/// <param name="Crop">Crop side S.</param>
/// <param name="EndEpoch">Epoch at which the stage ends: cumulative, rounded half to even.</param>
public sealed record LongCycleStage(int Step, int BatchMultiplier, int Frames, int Crop, int EndEpoch);

/// <summary>The training shape of one iteration.</summary>
/// <param name="Batch">Clips in the batch over all GPUs.</param>
/// <param name="Frames">Frames per clip.</param>
/// <param name="Crop">Crop side of this iteration.</param>
/// <param name="ShortCycleIndex">0 and 1: the short cycle's small crops; 2: the long cycle's own crop (also when there is no short cycle).</param>
/// <param name="Epoch">The epoch.</param>
/// <param name="Iteration">The iteration within the epoch (the short cycle restarts at 0 every epoch).</param>
public sealed record IterationShape(int Batch, int Frames, int Crop, int ShortCycleIndex, int Epoch, int Iteration);

/// <summary>How BatchNorm is computed for a per-GPU batch (SlowFast's <c>BN.NORM_TYPE</c>).</summary>
public enum BatchNormKind
{
    /// <summary>Plain BatchNorm: the per-GPU batch is the BN base size.</summary>
    BatchNorm,

    /// <summary>SubBatchNorm3d with <see cref="BatchNormChoice.Splits"/> splits: the per-GPU batch is larger than the BN base size.</summary>
    SubBatchNorm,

    /// <summary>BatchNorm synchronised over <see cref="BatchNormChoice.SyncDevices"/> GPUs: the per-GPU batch is smaller.</summary>
    SyncBatchNorm,
}

/// <summary>The BatchNorm of one long-cycle stage.</summary>
/// <param name="Kind">Which BatchNorm.</param>
/// <param name="Splits">Splits of SubBatchNorm3d (int(per-GPU batch / BN base size)); 1 otherwise.</param>
/// <param name="SyncDevices">GPUs to synchronise over (int(BN base size / per-GPU batch)); 1 otherwise.</param>
public sealed record BatchNormChoice(BatchNormKind Kind, int Splits, int SyncDevices);

/// <summary>
/// The multigrid training schedule of Wu et al., "A Multigrid Method for Efficiently Training Video Models" (CVPR 2020),
/// computed as SlowFast's <c>slowfast/utils/multigrid.py</c> and <c>slowfast/datasets/multigrid_helper.py</c> compute
/// it, for the same inputs: long-cycle stage shapes and epoch boundaries, the rewritten learning-rate steps, relative
/// learning rates and total epochs, the short cycle's crops and batch factors, the long-cycle sampling-rate range and
/// jitter-scale adjustment, and the BatchNorm choice per stage.
/// </summary>
/// <remarks>
/// Two deliberate differences from the reference, both where it is wrong: a long cycle without a short cycle works (the
/// reference indexes the third short-cycle shape of the fine-tune phase and crashes), and the number of short-cycle
/// batches in an epoch is exact (<see cref="ShortCycleBatches"/>; the reference's sampler length is an estimate from the
/// mean batch size). Rounding is Python's <c>round</c>, half to even (<see cref="Math.Round(double)"/>), and
/// <c>int()</c> truncation where the reference truncates.
/// <para>
/// As an <see cref="IBatchShapes"/> it drives a <see cref="ClipLoader"/> of one process (one GPU): batch sizes are per
/// GPU (the schedule's batch over all GPUs divided by <see cref="MultigridOptions.Gpus"/>), short-cycle factors
/// included, and clips of fewer frames than T0 get the long cycle's wider sampling-rate range.
/// </para>
/// </remarks>
public sealed class MultigridSchedule : IBatchShapes
{
    private readonly int[] _steps;
    private readonly double[] _lrs;

    private MultigridSchedule(MultigridOptions options, IReadOnlyList<LongCycleStage> stages, int[] steps, double[] lrs, int maxEpoch)
    {
        Options = options;
        Stages = stages;
        _steps = steps;
        _lrs = lrs;
        MaxEpoch = maxEpoch;
    }

    /// <summary>The options it was made from.</summary>
    public MultigridOptions Options { get; }

    /// <summary>Long-cycle stages in order (empty without the long cycle).</summary>
    public IReadOnlyList<LongCycleStage> Stages { get; }

    /// <summary>Epochs at which the learning rate changes, starting with 0 (SlowFast's rewritten <c>SOLVER.STEPS</c>).</summary>
    public IReadOnlyList<int> Steps => _steps;

    /// <summary>Learning rate of each step relative to the base LR (SlowFast's <c>SOLVER.LRS</c>): γ^step × batch multiplier with the long cycle, γ^step otherwise.</summary>
    public IReadOnlyList<double> RelativeLearningRates => _lrs;

    /// <summary>Total epochs of the schedule (SlowFast's rewritten <c>SOLVER.MAX_EPOCH</c>).</summary>
    public int MaxEpoch { get; }

    /// <summary>Computes the schedule; throws a <see cref="Toolkit.Core.ToolkitError"/> for bad options.</summary>
    public static MultigridSchedule Create(MultigridOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = options.Steps.Count;
        if (options.LongCycle)
        {
            var stages = LongCycle(options);
            var steps = new int[stages.Count + 1];
            for (int i = 0; i < stages.Count; i++)
                steps[i + 1] = stages[i].EndEpoch;
            // The fine-tune phase is split in two; its first half keeps the learning rate of the stage before it.
            steps[^1] = FloorDiv(steps[^2] + steps[^1], 2);
            var lrs = new double[stages.Count + 1];
            for (int i = 0; i < stages.Count - 1; i++)
                lrs[i] = Math.Pow(options.Gamma, stages[i].Step) * stages[i].BatchMultiplier;
            var last = stages[^1];
            lrs[^2] = lrs[^3];
            lrs[^1] = Math.Pow(options.Gamma, last.Step) * last.BatchMultiplier;
            return new MultigridSchedule(options, stages, steps, lrs, last.EndEpoch);
        }
        var plain = Enumerable.Range(0, n).Select(i => Math.Pow(options.Gamma, i)).ToArray();
        if (options.ShortCycle)
        {
            // Short cycle alone: the same steps, EPOCH_FACTOR times longer, truncated.
            var scaled = options.Steps.Select(s => (int)(s * options.EpochFactor)).ToArray();
            return new MultigridSchedule(options, [], scaled, plain, (int)(options.MaxEpoch * options.EpochFactor));
        }
        return new MultigridSchedule(options, [], options.Steps.ToArray(), plain, options.MaxEpoch);
    }

    private static List<LongCycleStage> LongCycle(MultigridOptions o)
    {
        double baseSize = (double)o.Frames * o.Crop * o.Crop;
        // Per long-cycle factor: its shapes (T, S, B) — the two short-cycle crops (S0·f, not rounded, as the reference
        // computes their batch) then its own — and their mean batch.
        var shapes = new List<(int B, int T, int S)>();
        var meanBatch = new List<double>();
        foreach (var f in o.LongCycleFactors)
        {
            int t = (int)Math.Round(o.Frames * f.Time);
            int s = (int)Math.Round(o.Crop * f.Space);
            var batches = new List<int>();
            if (o.ShortCycle)
            {
                foreach (double sf in o.ShortCycleFactors)
                {
                    double side = o.Crop * sf;
                    batches.Add((int)Math.Round(baseSize / (t * side * side)));
                }
            }
            int own = (int)Math.Round(baseSize / ((double)t * s * s));
            batches.Add(own);
            shapes.Add((own, t, s));
            meanBatch.Add(batches.Average());
        }

        // Each base step is split so every stage gets the same number of iterations: its epochs ∝ its mean batch.
        var raw = new List<(int Step, (int B, int T, int S) Shape, double Epochs)>();
        double totalIterations = 0, sumMean = meanBatch.Sum();
        var steps = o.Steps;
        for (int step = 0; step < steps.Count - 1; step++)
        {
            double stepEpochs = steps[step + 1] - steps[step];
            for (int i = 0; i < shapes.Count; i++)
            {
                double epochs = stepEpochs * meanBatch[i] / sumMean;
                totalIterations += epochs / meanBatch[i];
                raw.Add((step, shapes[i], epochs));
            }
        }
        // The fine-tune phase at the finest shape saves as many iterations as the rest of the training.
        double saving = steps[^1] / totalIterations;
        double fineTune = (o.MaxEpoch - steps[^1]) / saving * meanBatch[^1];
        raw.Add((steps.Count - 1, shapes[^1], fineTune));

        // Scale to MAX_EPOCH × EPOCH_FACTOR in all; boundaries are cumulative totals rounded half to even.
        double scale = o.MaxEpoch * o.EpochFactor / raw.Sum(r => r.Epochs);
        var stages = new List<LongCycleStage>(raw.Count);
        double total = 0;
        foreach (var (step, shape, epochs) in raw)
        {
            total += epochs * scale;
            stages.Add(new LongCycleStage(step, shape.B, shape.T, shape.S, (int)Math.Round(total)));
        }
        return stages;
    }

    /// <summary>The long-cycle stage of <paramref name="epoch"/> (the last stage after the end), or null without the long cycle.</summary>
    public LongCycleStage? StageAt(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (Stages.Count == 0)
            return null;
        foreach (var stage in Stages)
        {
            if (epoch < stage.EndEpoch)
                return stage;
        }
        return Stages[^1];
    }

    /// <summary>Batch multiplier, frames and crop of <paramref name="epoch"/>'s long-cycle shape (1, T0, S0 without the long cycle).</summary>
    public (int BatchMultiplier, int Frames, int Crop) LongCycleShape(int epoch) =>
        StageAt(epoch) is { } s ? (s.BatchMultiplier, s.Frames, s.Crop) : (1, Options.Frames, Options.Crop);

    /// <summary>Batch size over all GPUs of <paramref name="epoch"/>'s long-cycle shape (before short-cycle factors).</summary>
    public int EpochBatch(int epoch) => LongCycleShape(epoch).BatchMultiplier * Options.Batch;

    /// <summary>The short cycle's batch factors for <paramref name="epoch"/>: round((S / (f·S0))²) for its two factors, then 1.</summary>
    public IReadOnlyList<int> ShortCycleFactors(int epoch)
    {
        if (!Options.ShortCycle)
            return [1, 1, 1];
        int crop = LongCycleShape(epoch).Crop;
        return [.. Options.ShortCycleFactors.Select(f => (int)Math.Round(Math.Pow(crop / (f * Options.Crop), 2))), 1];
    }

    /// <summary>The shape of iteration <paramref name="iteration"/> of <paramref name="epoch"/>: the long cycle's, with the short cycle's crop and batch factor (index = iteration mod 3).</summary>
    public IterationShape Shape(int epoch, int iteration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        var (multiplier, frames, crop) = LongCycleShape(epoch);
        int batch = multiplier * Options.Batch;
        if (!Options.ShortCycle)
            return new IterationShape(batch, frames, crop, 2, epoch, iteration);
        int index = iteration % 3;
        int side = index < 2 ? (int)Math.Round(Options.ShortCycleFactors[index] * Options.Crop) : crop;
        return new IterationShape(batch * ShortCycleFactors(epoch)[index], frames, side, index, epoch, iteration);
    }

    /// <summary>
    /// The batches of one epoch of <paramref name="samples"/> clips, exactly: sizes cycle through the short cycle's three
    /// batch sizes (restarting every epoch); the last, short batch is kept unless <paramref name="dropLast"/>.
    /// </summary>
    public IReadOnlyList<IterationShape> ShortCycleBatches(int epoch, int samples, bool dropLast)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        var batches = new List<IterationShape>();
        int left = samples;
        for (int iteration = 0; left > 0; iteration++)
        {
            var shape = Shape(epoch, iteration);
            if (left < shape.Batch)
            {
                if (!dropLast)
                    batches.Add(shape with { Batch = left });
                break;
            }
            batches.Add(shape);
            left -= shape.Batch;
        }
        return batches;
    }

    /// <summary>Learning rate of <paramref name="epoch"/> (fractional epochs allowed) relative to the base LR, as SlowFast's <c>steps_with_relative_lrs</c>.</summary>
    public double RelativeLearningRate(double epoch)
    {
        int index = 0;
        for (int i = 0; i < _steps.Length; i++)
        {
            if (epoch >= _steps[i])
                index = i;
        }
        return _lrs[Math.Min(index, _lrs.Length - 1)];
    }

    /// <summary>
    /// BatchNorm for <paramref name="epoch"/>'s stage: per-GPU batch / BN base size &gt; 1 → SubBatchNorm3d with int(that)
    /// splits, &lt; 1 → BatchNorm synchronised over int(1 / that) GPUs, = 1 → BatchNorm.
    /// </summary>
    public BatchNormChoice BatchNorm(int epoch)
    {
        double factor = (double)EpochBatch(epoch) / Options.Gpus / Options.BnBaseSize;
        return factor < 1 ? new BatchNormChoice(BatchNormKind.SyncBatchNorm, 1, (int)(1.0 / factor))
             : factor > 1 ? new BatchNormChoice(BatchNormKind.SubBatchNorm, (int)factor, 1)
             : new BatchNormChoice(BatchNormKind.BatchNorm, 1, 1);
    }

    /// <summary>Clips per GPU in <paramref name="epoch"/>'s long-cycle shape.</summary>
    public int PerGpuBatch(int epoch) => EpochBatch(epoch) / Options.Gpus;

    /// <summary>
    /// The range a clip's frame interval is drawn from (uniformly, inclusive) in <paramref name="epoch"/>: with fewer
    /// frames than T0, up to <paramref name="samplingRate"/> × (T0 div T), so some clips still span the base clip's time.
    /// </summary>
    public (int Min, int Max) SamplingRateRange(int epoch, int samplingRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplingRate, 1);
        int frames = LongCycleShape(epoch).Frames;
        return (samplingRate, samplingRate * Math.Max(1, Options.Frames / frames));
    }

    /// <summary>
    /// The scale-jitter lower bound for a clip cropped to <paramref name="crop"/>: round(<paramref name="minScale"/> ×
    /// crop / S0), so a smaller crop keeps the same relative span of the frame.
    /// </summary>
    public int JitterMinScale(int minScale, int crop) => (int)Math.Round((double)minScale * crop / Options.Crop);

    /// <inheritdoc />
    public BatchShape ForEpoch(int epoch)
    {
        var (_, frames, crop) = LongCycleShape(epoch);
        return new BatchShape(PerGpuBatch(epoch), frames, crop);
    }

    /// <inheritdoc />
    public BatchShape ForIteration(int epoch, int iteration)
    {
        var shape = Shape(epoch, iteration);
        return new BatchShape(Math.Max(1, shape.Batch / Options.Gpus), shape.Frames, shape.Crop);
    }

    /// <inheritdoc />
    public int SamplingRateLimit(int epoch, int frameInterval) => SamplingRateRange(epoch, frameInterval).Max;

    private static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);
}
