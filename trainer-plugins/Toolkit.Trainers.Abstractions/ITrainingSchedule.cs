namespace Toolkit.Trainers.Abstractions;

/// <summary>
/// The data side of the schedule: how many epochs, and what the data shapes ask of the optimizer. A multigrid schedule
/// changes batch shapes per epoch and iteration; its linear-scaling LR multiplier comes from here, while the base LR
/// curve (cosine, steps, warm-up) is the plugin's.
/// </summary>
public interface ITrainingSchedule
{
    /// <summary>Total epochs of the run.</summary>
    int Epochs { get; }

    /// <summary>Short name for logs: <c>fixed</c>, <c>multigrid (long+short)</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// LR multiplier of epoch <paramref name="epoch"/> (multigrid: the stage's batch multiplier and its γ steps; 1
    /// for a fixed schedule). When <see cref="ReplacesLrSchedule"/> is true, the plugin uses it instead of its own curve.
    /// </summary>
    double RelativeLearningRate(int epoch);

    /// <summary>True when <see cref="RelativeLearningRate"/> carries the whole step schedule (multigrid stepwise).</summary>
    bool ReplacesLrSchedule { get; }
}
