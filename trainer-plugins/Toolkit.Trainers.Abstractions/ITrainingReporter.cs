namespace Toolkit.Trainers.Abstractions;

/// <summary>Where a plugin reports progress. Calls are cheap and thread-safe; the host renders and records them.</summary>
public interface ITrainingReporter
{
    /// <summary>After every optimizer step.</summary>
    void Iteration(IterationMetrics metrics);

    /// <summary>After every epoch (and its evaluation, when there is one).</summary>
    void Epoch(EpochMetrics metrics);

    /// <summary>After a checkpoint is complete on disk.</summary>
    void Checkpoint(CheckpointInfo checkpoint);

    /// <summary>A line worth showing the user (resumed from…, precise BN recomputed…).</summary>
    void Message(string text);
}

/// <summary>One optimizer step.</summary>
/// <param name="Epoch">Epoch.</param>
/// <param name="Iteration">Iteration within the epoch.</param>
/// <param name="Step">Global step since the start of training.</param>
/// <param name="Loss">Training loss of the batch.</param>
/// <param name="LearningRate">Base learning rate used for the step.</param>
/// <param name="GradNorm">L2 norm of all gradients before clipping.</param>
/// <param name="BatchSize">Samples in the batch.</param>
/// <param name="Seconds">Wall time of the step (forward, backward, update), data wait excluded.</param>
/// <param name="DataSeconds">Time spent waiting for the batch.</param>
public sealed record IterationMetrics(int Epoch, int Iteration, long Step, double Loss, double LearningRate, double GradNorm, int BatchSize, double Seconds, double DataSeconds)
{
    /// <summary>
    /// The learning rate of each optimizer parameter group by the group's name (e.g. <c>backbone.decay</c>,
    /// <c>head.no_decay</c>), when the plugin reports them; null otherwise. TensorBoard shows them as <c>train/lr/NAME</c>.
    /// </summary>
    public IReadOnlyDictionary<string, double>? GroupLearningRates { get; init; }
}

/// <summary>One epoch.</summary>
/// <param name="Epoch">Epoch.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's samples.</param>
/// <param name="TrainTop1">Training top-1 accuracy (hard labels), in [0, 1].</param>
/// <param name="ValidationLoss">Validation loss, when evaluated.</param>
/// <param name="ValidationTop1">Validation top-1 accuracy (views averaged), when evaluated.</param>
/// <param name="ValidationTop5">Validation top-5 accuracy, when evaluated.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall time of the epoch, evaluation included.</param>
/// <param name="IterationsPerSecond">Training iterations per second.</param>
/// <param name="PeakMemoryBytes">Peak memory of the process (CPU: resident set; CUDA: device allocator) during the epoch.</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainTop1, double? ValidationLoss, double? ValidationTop1, double? ValidationTop5, double LearningRate, double Seconds, double IterationsPerSecond, long PeakMemoryBytes);

/// <summary>A checkpoint that is complete on disk.</summary>
/// <param name="Path">The checkpoint folder.</param>
/// <param name="Epoch">Epochs completed when it was written.</param>
/// <param name="Step">Global step when it was written.</param>
public sealed record CheckpointInfo(string Path, int Epoch, long Step);

/// <summary>What a finished (or cancelled) run leaves.</summary>
/// <param name="EpochsCompleted">Epochs completed, resumed ones included.</param>
/// <param name="LastCheckpoint">The newest complete checkpoint, if any.</param>
/// <param name="Last">Metrics of the last epoch, if any.</param>
public sealed record TrainingOutcome(int EpochsCompleted, string? LastCheckpoint, EpochMetrics? Last);
