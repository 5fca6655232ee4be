using Toolkit.Trainers.Models.Norms;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Training;

/// <summary>Precise batch-norm statistics (SlowFast <c>calculate_and_update_precise_bn</c> / fvcore <c>update_bn_stats</c>).</summary>
public static class PreciseBatchNorm
{
    /// <summary>
    /// Recomputes the running mean and variance of every batch norm of <paramref name="model"/> (BatchNorm1d/2d/3d
    /// with running statistics, and the split statistics of <see cref="SubBatchNorm3d"/>, aggregated afterwards) as the
    /// true average over up to <paramref name="maxBatches"/> batches instead of an exponential moving average: as fvcore,
    /// each norm's momentum is set to 1 (so after a forward its running statistics are that batch's mean and unbiased
    /// variance), the per-batch values are averaged cumulatively, written back, and the momentum restored. The model
    /// runs in training mode under no_grad (other layers such as dropout run in training mode too) and gets its previous
    /// mode back. The weights do not change. Batches should have the same size (the average is per batch, as fvcore).
    /// </summary>
    /// <param name="model">The model (its inputs on the right device).</param>
    /// <param name="inputs">Batches at the current training shape; the caller owns (and disposes) them.</param>
    /// <param name="maxBatches">At most this many batches are used, at least 1 (SlowFast: 200).</param>
    /// <returns>Batches used (0 when <paramref name="inputs"/> is empty: then nothing changes).</returns>
    public static int Recompute(nn.Module<Tensor, Tensor> model, IEnumerable<Tensor> inputs, int maxBatches = 200)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (maxBatches < 1)
            throw new ArgumentOutOfRangeException(nameof(maxBatches), maxBatches, "maxBatches must be at least 1.");

        var norms = new List<Norm>();
        foreach (var module in new nn.Module[] { model }.Concat(model.modules()).Distinct())
        {
            switch (module)
            {
                case BatchNorm bn when bn.track_running_stats && bn.running_mean is not null && bn.running_var is not null:
                    norms.Add(new Norm(bn.running_mean, bn.running_var, () => bn.momentum, m => bn.momentum = m, null));
                    break;
                case SubBatchNorm3d sub:
                    norms.Add(new Norm(sub.SplitRunningMean, sub.SplitRunningVar, () => sub.Momentum, m => sub.Momentum = m!.Value, sub));
                    break;
            }
        }

        if (norms.Count == 0)
            return 0;

        bool wasTraining = model.training;
        var momenta = norms.Select(n => n.GetMomentum()).ToArray();
        var sums = new List<(Tensor Mean, Tensor Var)>();
        int used = 0;
        try
        {
            using var noGrad = no_grad();
            foreach (var n in norms)
                sums.Add((zeros_like(n.Mean), zeros_like(n.Var)));
            foreach (var n in norms)
                n.SetMomentum(1.0);
            model.train();
            foreach (var batch in inputs)
            {
                if (used == maxBatches)
                    break;
                ArgumentNullException.ThrowIfNull(batch, nameof(inputs));
                using var scope = NewDisposeScope();
                model.call(batch);
                used++;
                for (int i = 0; i < norms.Count; i++)
                {
                    // Cumulative average: avg += (x − avg) / count.
                    sums[i].Mean.add_((norms[i].Mean - sums[i].Mean).div_(used));
                    sums[i].Var.add_((norms[i].Var - sums[i].Var).div_(used));
                }
            }

            if (used > 0)
            {
                for (int i = 0; i < norms.Count; i++)
                {
                    norms[i].Mean.copy_(sums[i].Mean);
                    norms[i].Var.copy_(sums[i].Var);
                }
            }
        }
        finally
        {
            for (int i = 0; i < norms.Count; i++)
                norms[i].SetMomentum(momenta[i]);
            foreach (var (mean, variance) in sums)
            {
                mean.Dispose();
                variance.Dispose();
            }

            foreach (var n in norms)
                n.Sub?.AggregateStats();
            model.train(wasTraining);
        }

        return used;
    }

    private sealed record Norm(Tensor Mean, Tensor Var, Func<double?> GetMomentum, Action<double?> SetMomentum, SubBatchNorm3d? Sub);
}
