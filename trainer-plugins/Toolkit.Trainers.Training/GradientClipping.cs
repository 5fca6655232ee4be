using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Training;

/// <summary>Gradient clipping by total norm.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Clips the gradients of <paramref name="parameters"/> in place to a total L2 norm of at most
    /// <paramref name="maxNorm"/>, as <c>torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type=2)</c>: the
    /// total norm is the L2 norm of the per-parameter gradient norms; when it exceeds <paramref name="maxNorm"/> every
    /// gradient is multiplied by <c>maxNorm / (total + 1e-6)</c>; otherwise nothing changes. Parameters without a
    /// gradient are skipped. A non-finite total (NaN/∞ gradients) is returned as is and the gradients are left
    /// untouched (PyTorch would scale them to NaN): skip that optimizer step.
    /// </summary>
    /// <param name="parameters">Parameters whose <c>.grad</c> to clip.</param>
    /// <param name="maxNorm">Maximum total norm, finite and &gt; 0 (mmaction2 40, SlowFast 1.0).</param>
    /// <returns>The total norm before clipping (0 when no parameter has a gradient).</returns>
    public static double ClipL2(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0 && double.IsFinite(maxNorm)))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be finite and > 0.");

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
        if (grads.Count == 0)
            return 0;
        var norms = stack(grads.Select(g => linalg.vector_norm(g, 2).to(ScalarType.Float64)));
        double total = linalg.vector_norm(norms, 2).item<double>();
        if (double.IsFinite(total) && total > maxNorm)
        {
            double coefficient = maxNorm / (total + 1e-6);
            foreach (var g in grads)
                g.mul_(coefficient);
        }

        return total;
    }
}
