using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Toolkit.Trainers.Training;

/// <summary>Classification losses (batch means, differentiable). Inputs are not modified or disposed; the caller owns the result.</summary>
public static class Losses
{
    /// <summary>
    /// Cross-entropy with soft targets (mixup / cutmix labels; timm <c>SoftTargetCrossEntropy</c>):
    /// mean over the batch of −Σ_k t_k · log_softmax(logits)_k. Equals <see cref="CrossEntropy"/> for one-hot targets.
    /// </summary>
    /// <param name="logits">N × K scores.</param>
    /// <param name="targets">N × K target distributions (rows normally sum to 1).</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor SoftTargetCrossEntropy(Tensor logits, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.dim() != 2)
            throw new ArgumentException($"logits must be N x K; got shape [{string.Join(", ", logits.shape)}].", nameof(logits));
        if (!targets.shape.SequenceEqual(logits.shape))
            throw new ArgumentException($"targets must have the shape of logits [{string.Join(", ", logits.shape)}]; got [{string.Join(", ", targets.shape)}].", nameof(targets));
        using var scope = NewDisposeScope();
        var loss = (-targets * F.log_softmax(logits, 1)).sum(1).mean();
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Cross-entropy with integer labels and PyTorch's label smoothing (<c>F.cross_entropy(..., label_smoothing=ε)</c>):
    /// per sample (1 − ε)·(−log p_y) + ε·mean_k(−log p_k), averaged over the batch (MViT uses ε = 0.1).
    /// </summary>
    /// <param name="logits">N × K scores.</param>
    /// <param name="labels">N class indices (int64) in [0, K).</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() != 2)
            throw new ArgumentException($"logits must be N x K; got shape [{string.Join(", ", logits.shape)}].", nameof(logits));
        if (labels.dim() != 1 || labels.shape[0] != logits.shape[0])
            throw new ArgumentException($"labels must be a vector of {logits.shape[0]} class indices; got shape [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "labelSmoothing must be in [0, 1].");
        using var scope = NewDisposeScope();
        var loss = F.cross_entropy(logits, labels.to(ScalarType.Int64), label_smoothing: labelSmoothing);
        return loss.MoveToOuterDisposeScope();
    }
}
