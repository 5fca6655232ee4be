using System.Runtime.CompilerServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Training;

/// <summary>Builds the TorchSharp optimizer of a preset over parameter groups and sets per-group learning rates.</summary>
public static class Optimizers
{
    // Each optimizer built here remembers its groups' lr multipliers (the optimizer's own options are overwritten by
    // load_state_dict, so they cannot hold them reliably).
    private static readonly ConditionalWeakTable<optim.Optimizer, double[]> Multipliers = new();

    /// <summary>
    /// AdamW (betas, eps, decoupled weight decay: <c>p ← p·(1 − lr·wd)</c> before the Adam step, as PyTorch) or SGD
    /// (momentum, Nesterov, L2 weight decay added to the gradient, as PyTorch), one param group per
    /// <paramref name="groups"/> entry, each at lr = <see cref="OptimizerPreset.Lr"/> × its multiplier and weight decay
    /// <see cref="OptimizerPreset.WeightDecay"/> (or 0 when <see cref="ParameterGroup.ApplyWeightDecay"/> is false).
    /// Weight decay is always passed explicitly (TorchSharp's AdamW defaults to 0, PyTorch's to 0.01). The optimizers are
    /// <see cref="StepwiseAdamW"/> and <see cref="StepwiseSGD"/>: TorchSharp's, freeing each parameter's temporaries as
    /// it goes (the same numbers, less resident memory).
    /// The caller owns (disposes) the optimizer; call <see cref="SetLearningRate"/> every iteration.
    /// </summary>
    /// <param name="preset">Validated preset (after <see cref="OptimizerPreset.Scaled"/> if the batch differs).</param>
    /// <param name="groups">Groups from <see cref="ParameterGroups.Split"/> (at least one, none empty).</param>
    public static OptimizerHelper Create(OptimizerPreset preset, IEnumerable<ParameterGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(groups);
        preset.Validated();
        var list = groups.ToList();
        if (list.Count == 0)
            throw new ArgumentException("At least one parameter group is needed.", nameof(groups));
        foreach (var g in list)
        {
            if (g.Parameters.Count == 0)
                throw new ArgumentException($"Parameter group '{g.Name}' is empty.", nameof(groups));
            if (!(g.LrMultiplier > 0 && double.IsFinite(g.LrMultiplier)))
                throw new ArgumentOutOfRangeException(nameof(groups), g.LrMultiplier, $"Group '{g.Name}': LrMultiplier must be finite and > 0.");
        }

        OptimizerHelper optimizer = preset.Optimizer switch
        {
            OptimizerKind.AdamW => new StepwiseAdamW(
                list.Select(g => new AdamW.ParamGroup(g.Parameters, new AdamW.Options
                {
                    LearningRate = preset.Lr * g.LrMultiplier,
                    beta1 = preset.Betas.Beta1,
                    beta2 = preset.Betas.Beta2,
                    eps = preset.Eps,
                    weight_decay = g.ApplyWeightDecay ? preset.WeightDecay : 0.0,
                    amsgrad = false,
                    maximize = false,
                })).ToList(),
                preset.Lr, preset.Betas.Beta1, preset.Betas.Beta2, preset.Eps, preset.WeightDecay),
            _ => new StepwiseSGD(
                list.Select(g => new SGD.ParamGroup(g.Parameters, new SGD.Options
                {
                    LearningRate = preset.Lr * g.LrMultiplier,
                    momentum = preset.Momentum,
                    dampening = 0.0,
                    weight_decay = g.ApplyWeightDecay ? preset.WeightDecay : 0.0,
                    nesterov = preset.Nesterov,
                    maximize = false,
                })).ToList(),
                preset.Lr, preset.Momentum, preset.WeightDecay, preset.Nesterov),
        };
        Multipliers.AddOrUpdate(optimizer, [.. list.Select(g => g.LrMultiplier)]);
        return optimizer;
    }

    /// <summary>Sets every group's lr to <paramref name="baseLr"/> × the group's multiplier (call once per iteration with <see cref="LearningRateSchedule.At"/>).</summary>
    /// <param name="optimizer">An optimizer from <see cref="Create"/>.</param>
    /// <param name="baseLr">Learning rate of a multiplier-1 group, finite and ≥ 0.</param>
    /// <exception cref="ArgumentException"><paramref name="optimizer"/> was not made by <see cref="Create"/> (its multipliers are unknown).</exception>
    /// <exception cref="InvalidOperationException">Param groups were added after <see cref="Create"/>.</exception>
    public static void SetLearningRate(optim.Optimizer optimizer, double baseLr)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(baseLr >= 0 && double.IsFinite(baseLr)))
            throw new ArgumentOutOfRangeException(nameof(baseLr), baseLr, "baseLr must be finite and >= 0.");
        var multipliers = LearningRateMultipliers(optimizer);
        var groups = optimizer.ParamGroups.ToList();
        if (groups.Count != multipliers.Count)
            throw new InvalidOperationException($"The optimizer has {groups.Count} param groups but was created with {multipliers.Count}; groups added later have no known lr multiplier.");
        for (int i = 0; i < groups.Count; i++)
            groups[i].LearningRate = baseLr * multipliers[i];
    }

    /// <summary>The lr multiplier of each group of an optimizer from <see cref="Create"/>, in group order.</summary>
    /// <exception cref="ArgumentException"><paramref name="optimizer"/> was not made by <see cref="Create"/>.</exception>
    public static IReadOnlyList<double> LearningRateMultipliers(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return Multipliers.TryGetValue(optimizer, out var m)
            ? m
            : throw new ArgumentException("This optimizer was not created by Optimizers.Create, so its groups' lr multipliers are unknown.", nameof(optimizer));
    }

    /// <summary>Current lr of each group, in group order.</summary>
    public static IReadOnlyList<double> LearningRates(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return [.. optimizer.ParamGroups.Select(g => g.LearningRate)];
    }
}
