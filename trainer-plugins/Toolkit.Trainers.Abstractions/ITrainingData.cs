namespace Toolkit.Trainers.Abstractions;

/// <summary>
/// The batches of a run. Batches are streamed: each one is valid until the consumer asks for the next one (or ends the
/// enumeration), then the host disposes it. A plugin that needs a tensor longer copies it.
/// </summary>
public interface ITrainingData
{
    /// <summary>Number of classes (the width of soft targets and of the model's head).</summary>
    int Classes { get; }

    /// <summary>Class names by label index (for reports); may be empty.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Clips per training batch of the base shape (a multigrid schedule scales it per stage and iteration; its LR
    /// multiplier already carries that): the batch the linear scaling rule compares with a preset's reference batch.
    /// </summary>
    int BatchSize { get; }

    /// <summary>Training samples (videos) per epoch seen by this process.</summary>
    int TrainSamples { get; }

    /// <summary>Validation samples (videos), 0 when there is no validation set.</summary>
    int ValidationSamples { get; }

    /// <summary>Iterations of epoch <paramref name="epoch"/> (exact: the shapes of that epoch are known up front).</summary>
    int IterationsIn(int epoch);

    /// <summary>The training batches of one epoch, in order, shuffled by (seed, epoch).</summary>
    IAsyncEnumerable<TrainingBatch> TrainAsync(int epoch, CancellationToken cancellationToken);

    /// <summary>
    /// The validation batches: every view of a sample is adjacent (see <see cref="TrainingBatch.ViewsPerSample"/>), so
    /// a plugin averages a sample's views before scoring it. Empty when there is no validation set.
    /// </summary>
    IAsyncEnumerable<TrainingBatch> ValidateAsync(CancellationToken cancellationToken);
}
