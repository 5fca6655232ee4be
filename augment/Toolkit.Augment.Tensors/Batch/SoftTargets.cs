using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Augment.Tensors.Batch;

/// <summary>
/// Soft targets with label smoothing, built in one place for the loader (targets of a batch, single- or multi-label)
/// and <see cref="BatchMixer"/> (before mixing): each row gives ε/K to every class and shares 1 − ε equally among its
/// labels, so a row sums to 1 (timm's <c>smooth_one_hot</c>, mmaction2's <c>label_smooth_eps</c>).
/// </summary>
public static class SoftTargets
{
    /// <summary>N × <paramref name="classes"/> float32 targets for <paramref name="labels"/> (each row one or more class indices).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label outside [0, classes), or ε outside [0, 1).</exception>
    public static Tensor FromLabels(IReadOnlyList<IReadOnlyList<int>> labels, int classes, double smoothing)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Check(classes, smoothing);
        var soft = new float[labels.Count * classes];
        for (int i = 0; i < labels.Count; i++)
        {
            var row = labels[i];
            if (row.Count == 0)
                throw new ArgumentOutOfRangeException(nameof(labels), $"row {i} has no label");
            for (int j = 0; j < classes; j++)
                soft[i * classes + j] = (float)(smoothing / classes);
            foreach (int l in row)
            {
                if (l < 0 || l >= classes)
                    throw new ArgumentOutOfRangeException(nameof(labels), $"label {l} of row {i} is outside the {classes} classes");
                soft[i * classes + l] += (float)((1 - smoothing) / row.Count);
            }
        }
        return tensor(soft, [labels.Count, classes], ScalarType.Float32);
    }

    /// <summary>Targets for N int64 class indices, on the indices' device.</summary>
    public static Tensor FromIndices(Tensor indices, int classes, double smoothing)
    {
        ArgumentNullException.ThrowIfNull(indices);
        Check(classes, smoothing);
        return Smooth(nn.functional.one_hot(indices, classes).to(float32), smoothing);
    }

    /// <summary>N × K targets (one-hot or already soft) with smoothing ε applied: y (1 − ε) + ε / K.</summary>
    public static Tensor Smooth(Tensor targets, double smoothing)
    {
        ArgumentNullException.ThrowIfNull(targets);
        long k = targets.shape[^1];
        return smoothing == 0 ? targets : targets * (1 - smoothing) + smoothing / k;
    }

    private static void Check(int classes, double smoothing)
    {
        if (classes < 1)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "at least one class");
        if (smoothing is < 0 or >= 1 || double.IsNaN(smoothing))
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "label smoothing is in [0, 1)");
    }
}
