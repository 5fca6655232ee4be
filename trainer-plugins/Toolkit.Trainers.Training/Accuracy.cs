using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Toolkit.Trainers.Training;

/// <summary>Evaluation metrics. Inputs are not modified or disposed.</summary>
public static class Accuracy
{
    /// <summary>Fraction of samples whose label is among the <paramref name="k"/> highest scores (mmaction2 <c>top_k_accuracy</c>).</summary>
    /// <param name="scores">N × K scores or probabilities (N ≥ 1).</param>
    /// <param name="labels">N class indices in [0, K).</param>
    /// <param name="k">In [1, K].</param>
    /// <returns>In [0, 1].</returns>
    public static double TopK(Tensor scores, Tensor labels, int k)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.dim() != 2 || scores.shape[0] < 1)
            throw new ArgumentException($"scores must be N x K with N >= 1; got shape [{string.Join(", ", scores.shape)}].", nameof(scores));
        if (labels.dim() != 1 || labels.shape[0] != scores.shape[0])
            throw new ArgumentException($"labels must be a vector of {scores.shape[0]} class indices; got shape [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (k < 1 || k > scores.shape[1])
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, {scores.shape[1]}].");
        using var scope = NewDisposeScope();
        var (_, top) = scores.topk(k, dim: 1);
        var hit = top.eq(labels.to(ScalarType.Int64).unsqueeze(1)).any(1);
        return hit.to(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>
    /// Averages the views (clips × crops) of each sample: <paramref name="scores"/> holds N·V rows, the V views of
    /// sample n in adjacent rows n·V … n·V + V − 1. Averages <b>probabilities</b>: softmax over classes first, then the
    /// mean over views (mmaction2 <c>average_clips='prob'</c>), giving N × K probabilities.
    /// </summary>
    /// <param name="scores">N·V × K logits.</param>
    /// <param name="viewsPerSample">V ≥ 1; must divide the row count.</param>
    /// <returns>N × K averaged probabilities (caller owns).</returns>
    public static Tensor AverageViews(Tensor scores, int viewsPerSample)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.dim() != 2)
            throw new ArgumentException($"scores must be (N*V) x K; got shape [{string.Join(", ", scores.shape)}].", nameof(scores));
        if (viewsPerSample < 1 || scores.shape[0] % viewsPerSample != 0)
            throw new ArgumentOutOfRangeException(nameof(viewsPerSample), viewsPerSample, $"viewsPerSample must be >= 1 and divide the {scores.shape[0]} rows.");
        using var scope = NewDisposeScope();
        long n = scores.shape[0] / viewsPerSample;
        var averaged = F.softmax(scores, 1).view(n, viewsPerSample, scores.shape[1]).mean([1]);
        return averaged.MoveToOuterDisposeScope();
    }
}
