using static TorchSharp.torch;

namespace Toolkit.Trainers.Abstractions;

/// <summary>One batch, owned by the host (see <see cref="ITrainingData"/>).</summary>
/// <param name="Epoch">Epoch (0-based).</param>
/// <param name="Iteration">Iteration within the epoch (0-based).</param>
/// <param name="Inputs">N × C × T × H × W float32, normalized, on <see cref="TrainingSession.Device"/>.</param>
/// <param name="Labels">Samples (int64): the label of each sample.</param>
/// <param name="Targets">Samples × classes soft targets (mixup, cutmix, label smoothing) or null for hard labels.</param>
/// <param name="ViewsPerSample">Entries of <paramref name="Inputs"/> per sample (clips × crops in validation; 1 in training).</param>
/// <param name="NormSplits">How many sub-batches batch norm should split this batch into (multigrid sub-batch norm); 1 = plain.</param>
public sealed record TrainingBatch(int Epoch, int Iteration, Tensor Inputs, Tensor Labels, Tensor? Targets, int ViewsPerSample, int NormSplits)
{
    /// <summary>Samples in the batch (<c>Inputs.shape[0] / ViewsPerSample</c>).</summary>
    public int Samples => (int)(Inputs.shape[0] / ViewsPerSample);
}
