using System.Globalization;
using Toolkit.Core;

namespace Toolkit.Loaders.Multigrid;

/// <summary>A long-cycle factor: the stage's clip length is T0·<see cref="Time"/> and its crop S0·<see cref="Space"/>.</summary>
/// <param name="Time">Factor on the number of frames (e.g. 0.25).</param>
/// <param name="Space">Factor on the crop side (e.g. √0.5).</param>
public readonly record struct LongCycleFactor(double Time, double Space);

/// <summary>
/// What a multigrid schedule is made from: the base training shape and solver of a run, and which cycles to use. The
/// names follow SlowFast's config (<c>DATA.NUM_FRAMES</c>, <c>DATA.TRAIN_CROP_SIZE</c>, <c>TRAIN.BATCH_SIZE</c>,
/// <c>SOLVER.STEPS</c>, <c>SOLVER.MAX_EPOCH</c>, <c>SOLVER.GAMMA</c>, <c>MULTIGRID.*</c>); defaults are its defaults.
/// </summary>
public sealed record MultigridOptions
{
    /// <summary>SlowFast's default long-cycle factors: (0.25, √0.5), (0.5, √0.5), (0.5, 1), (1, 1).</summary>
    public static readonly IReadOnlyList<LongCycleFactor> DefaultLongCycleFactors =
        [new(0.25, Math.Sqrt(0.5)), new(0.5, Math.Sqrt(0.5)), new(0.5, 1), new(1, 1)];

    /// <summary>SlowFast's default short-cycle factors: 0.5 and √0.5 of the base crop.</summary>
    public static readonly IReadOnlyList<double> DefaultShortCycleFactors = [0.5, Math.Sqrt(0.5)];

    /// <summary>T0: frames per clip of the base shape.</summary>
    public int Frames { get; init; } = 8;

    /// <summary>S0: crop side of the base shape, in pixels.</summary>
    public int Crop { get; init; } = 224;

    /// <summary>B0: the base batch size over all GPUs (SlowFast's <c>TRAIN.BATCH_SIZE</c>).</summary>
    public int Batch { get; init; } = 64;

    /// <summary>GPUs (processes) the batch is split over.</summary>
    public int Gpus { get; init; } = 1;

    /// <summary>Epochs at which the base learning rate steps down, starting with 0 (SlowFast's <c>SOLVER.STEPS</c>).</summary>
    public IReadOnlyList<int> Steps { get; init; } = [0];

    /// <summary>Epochs of the base schedule.</summary>
    public int MaxEpoch { get; init; } = 1;

    /// <summary>Learning-rate factor per step.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Use the long cycle (shapes change per epoch range).</summary>
    public bool LongCycle { get; init; }

    /// <summary>Use the short cycle (shapes change per iteration).</summary>
    public bool ShortCycle { get; init; }

    /// <summary>Multigrid training's total epochs relative to the base schedule (SlowFast: 1.5).</summary>
    public double EpochFactor { get; init; } = 1.5;

    /// <summary>Long-cycle factors, coarse to fine; the last one is the base shape's.</summary>
    public IReadOnlyList<LongCycleFactor> LongCycleFactors { get; init; } = DefaultLongCycleFactors;

    /// <summary>The two short-cycle crop factors, relative to S0.</summary>
    public IReadOnlyList<double> ShortCycleFactors { get; init; } = DefaultShortCycleFactors;

    /// <summary>Clips per GPU that one BatchNorm computes its statistics on (SlowFast's <c>MULTIGRID.BN_BASE_SIZE</c>).</summary>
    public int BnBaseSize { get; init; } = 8;

    /// <summary>Checks every option; throws a <see cref="ToolkitError"/> naming the first bad one, its value and what to use.</summary>
    public MultigridOptions Validate()
    {
        // Upper bounds keep every product in the schedule (batch × T × S², epochs × factor) far from int overflow.
        InRange("MultigridOptions.Frames", Frames, 1024);
        InRange("MultigridOptions.Crop", Crop, 4096);
        InRange("MultigridOptions.Batch", Batch, 65536);
        InRange("MultigridOptions.Gpus", Gpus, 4096);
        InRange("MultigridOptions.MaxEpoch", MaxEpoch, MaxEpochs);
        InRange("MultigridOptions.BnBaseSize", BnBaseSize, 65536);
        if (Batch % Gpus != 0)
            throw new ToolkitError("MultigridOptions.Batch", $"{Batch} cannot be split evenly over {Gpus} GPU(s)", "Use a batch size that is a multiple of the GPU count");
        if (Steps.Count == 0 || Steps[0] != 0)
            throw new ToolkitError("MultigridOptions.Steps", $"'{string.Join(',', Steps)}' must start with 0", "Give the learning-rate step epochs starting with 0, e.g. 0,94,154,196");
        for (int i = 1; i < Steps.Count; i++)
        {
            if (Steps[i] <= Steps[i - 1])
                throw new ToolkitError("MultigridOptions.Steps", $"'{string.Join(',', Steps)}' must increase", "Give strictly increasing epochs, e.g. 0,94,154,196");
        }
        if (Steps[^1] >= MaxEpoch)
            throw new ToolkitError("MultigridOptions.MaxEpoch", $"{MaxEpoch} is not after the last step {Steps[^1]}", "The schedule must end after its last learning-rate step");
        if (!(Gamma > 0) || !double.IsFinite(Gamma))
            throw new ToolkitError("MultigridOptions.Gamma", Gamma.ToString("R", CultureInfo.InvariantCulture) + " is not a positive number", "Use e.g. 0.1");
        if (!(EpochFactor > 0) || !double.IsFinite(EpochFactor))
            throw new ToolkitError("MultigridOptions.EpochFactor", EpochFactor.ToString("R", CultureInfo.InvariantCulture) + " is not a positive number", "Use e.g. 1.5");
        if (MaxEpoch * EpochFactor > MaxEpochs)
            throw new ToolkitError("MultigridOptions.EpochFactor", $"{EpochFactor.ToString("R", CultureInfo.InvariantCulture)} × the max epoch {MaxEpoch} is {(MaxEpoch * EpochFactor).ToString("G4", CultureInfo.InvariantCulture)} epochs, over {MaxEpochs}",
                "Multigrid trains about 1.5 times the base schedule; use a factor near that");
        if (LongCycle)
        {
            if (Steps.Count < 2)
                throw new ToolkitError("MultigridOptions.Steps", "the long cycle needs at least one step after 0", "Give e.g. 0,94,154,196");
            if (LongCycleFactors.Count == 0)
                throw new ToolkitError("MultigridOptions.LongCycleFactors", "no factor given", "Give t:s pairs, e.g. 0.25:0.7071,0.5:0.7071,0.5:1,1:1");
            foreach (var f in LongCycleFactors)
            {
                if (!(f.Time > 0 && f.Time <= 1) || !(f.Space > 0 && f.Space <= 1))
                    throw new ToolkitError("MultigridOptions.LongCycleFactors", $"{f.Time.ToString(CultureInfo.InvariantCulture)}:{f.Space.ToString(CultureInfo.InvariantCulture)} is out of range", "Each factor must be in (0, 1]");
                if (Math.Round(Frames * f.Time) < 1 || Math.Round(Crop * f.Space) < 1)
                    throw new ToolkitError("MultigridOptions.LongCycleFactors", $"{f.Time.ToString(CultureInfo.InvariantCulture)}:{f.Space.ToString(CultureInfo.InvariantCulture)} makes an empty clip of {Frames}x{Crop}", "Use larger factors or a larger base shape");
            }
        }
        if (ShortCycle)
        {
            if (ShortCycleFactors.Count != 2)
                throw new ToolkitError("MultigridOptions.ShortCycleFactors", $"{ShortCycleFactors.Count} factor(s) given", "Give exactly two crop factors, e.g. 0.5,0.7071");
            foreach (double f in ShortCycleFactors)
            {
                if (!(f > 0 && f <= 1) || Math.Round(Crop * f) < 1)
                    throw new ToolkitError("MultigridOptions.ShortCycleFactors", $"{f.ToString(CultureInfo.InvariantCulture)} is out of range", "Each factor must be in (0, 1]");
            }
        }
        return this;
    }

    /// <summary>The most epochs a schedule may have (base or scaled): far above published ones, low enough to catch a typo.</summary>
    public const int MaxEpochs = 100_000;

    private static void InRange(string option, int value, int max)
    {
        if (value < 1)
            throw new ToolkitError(option, $"{value} is not a positive number", "Use 1 or more");
        if (value > max)
            throw new ToolkitError(option, $"{value} is too large", $"Use at most {max}");
    }
}
