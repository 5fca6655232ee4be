using Toolkit.Loaders.Multigrid;
using Toolkit.Trainers.Abstractions;

namespace Toolkit.Trainers.Hosting;

/// <summary>A fixed-shape run: <see cref="Epochs"/> epochs, LR multiplier 1, the plugin's own LR curve.</summary>
/// <param name="Epochs">Epochs.</param>
public sealed record FixedSchedule(int Epochs) : ITrainingSchedule
{
    /// <inheritdoc />
    public string Kind => "fixed";

    /// <inheritdoc />
    public bool ReplacesLrSchedule => false;

    /// <inheritdoc />
    public double RelativeLearningRate(int epoch) => 1.0;
}

/// <summary>
/// The multigrid schedule as the contract sees it: SlowFast's stepwise relative LRs (stage batch multiplier × γ steps,
/// the linear scaling rule built in) replace the plugin's curve; epochs = the rescaled MAX_EPOCH.
/// </summary>
/// <param name="Schedule">The loaders' schedule.</param>
public sealed record MultigridTrainingSchedule(MultigridSchedule Schedule) : ITrainingSchedule
{
    /// <inheritdoc />
    public int Epochs => Schedule.MaxEpoch;

    /// <inheritdoc />
    public string Kind => (Schedule.Options.LongCycle, Schedule.Options.ShortCycle) switch
    {
        (true, true) => "multigrid (long+short cycle)",
        (true, false) => "multigrid (long cycle)",
        _ => "multigrid (short cycle)",
    };

    /// <inheritdoc />
    public bool ReplacesLrSchedule => true;

    /// <inheritdoc />
    public double RelativeLearningRate(int epoch) => Schedule.RelativeLearningRate(epoch);
}
