using System.Globalization;

namespace Toolkit.Trainers.Training;

/// <summary>The optimizer of a preset.</summary>
public enum OptimizerKind
{
    /// <summary>AdamW (decoupled weight decay, Loshchilov &amp; Hutter).</summary>
    AdamW,

    /// <summary>SGD with (optionally Nesterov) momentum and L2 weight decay added to the gradient, as PyTorch's SGD.</summary>
    Sgd,
}

/// <summary>The learning-rate curve of a preset.</summary>
public enum ScheduleKind
{
    /// <summary>mmcv <c>CosineAnnealing</c> (by epoch) down to <see cref="OptimizerPreset.MinLrFactor"/> × lr.</summary>
    Cosine,

    /// <summary>mmcv <c>step</c>: lr × <see cref="OptimizerPreset.Gamma"/> at every epoch of <see cref="OptimizerPreset.Steps"/>.</summary>
    MultiStep,
}

/// <summary>
/// One optimizer + learning-rate recipe (SPEC §5, mmaction2 style). Immutable: override with <c>with</c>
/// (<c>OptimizerPresets.Get("adamw-30e") with { WeightDecay = 0.05 }</c>) and check with <see cref="Validated"/>.
/// </summary>
public sealed record OptimizerPreset
{
    /// <summary>Name users type (<c>adamw-30e</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Which optimizer.</summary>
    public OptimizerKind Optimizer { get; init; }

    /// <summary>Base learning rate at <see cref="ReferenceBatch"/> (before the linear scaling rule).</summary>
    public double Lr { get; init; }

    /// <summary>Weight decay of the decaying group (norms and biases get none, see <see cref="ParameterGroups"/>). Always passed explicitly: TorchSharp's AdamW defaults to 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>SGD momentum (ignored by AdamW).</summary>
    public double Momentum { get; init; }

    /// <summary>SGD Nesterov momentum (ignored by AdamW).</summary>
    public bool Nesterov { get; init; }

    /// <summary>AdamW betas (PyTorch defaults 0.9, 0.999; ignored by SGD).</summary>
    public (double Beta1, double Beta2) Betas { get; init; } = (0.9, 0.999);

    /// <summary>AdamW epsilon (PyTorch default 1e-8; ignored by SGD).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>Learning-rate curve.</summary>
    public ScheduleKind Schedule { get; init; }

    /// <summary>Linear warm-up length in epochs (may be fractional, e.g. 2.5; 0 = none). Converted to iterations with the epoch length.</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Warm-up starts at this fraction of the regular lr (mmcv <c>warmup_ratio</c>, 0.01).</summary>
    public double WarmupStartFactor { get; init; } = 0.01;

    /// <summary>Cosine ends at this fraction of the base lr (mmcv <c>min_lr_ratio</c>, 0.01).</summary>
    public double MinLrFactor { get; init; } = 0.01;

    /// <summary>Epochs at which a multi-step schedule multiplies the lr by <see cref="Gamma"/> (for <see cref="Epochs"/> epochs; other lengths scale them, see <see cref="LearningRateSchedule.For"/>).</summary>
    public IReadOnlyList<int> Steps { get; init; } = [];

    /// <summary>Multi-step factor (0.1).</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>L2 max-norm of the gradient clipping (null = no clipping).</summary>
    public double? ClipMaxNorm { get; init; }

    /// <summary>Training epochs of the recipe.</summary>
    public int Epochs { get; init; }

    /// <summary>Total batch (videos per GPU × GPUs) <see cref="Lr"/> was tuned for; null = unknown, <see cref="Scaled"/> leaves the lr alone.</summary>
    public int? ReferenceBatch { get; init; }

    /// <summary>Backbone lr multiplier the recipe recommends for a pretrained backbone (pass it to <see cref="ParameterGroups.Split"/>); 1 = none.</summary>
    public double PretrainedBackboneLrMultiplier { get; init; } = 1.0;

    /// <summary>
    /// The linear scaling rule: lr × <paramref name="batch"/> / <see cref="ReferenceBatch"/>, and
    /// <see cref="ReferenceBatch"/> becomes <paramref name="batch"/> (so scaling twice to the same batch changes nothing).
    /// No-op when <see cref="ReferenceBatch"/> is null.
    /// </summary>
    /// <param name="batch">Total batch of the run (all GPUs), at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> below 1.</exception>
    public OptimizerPreset Scaled(int batch)
    {
        if (batch < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be at least 1.");
        if (ReferenceBatch is not { } reference)
            return this;
        return this with { Lr = Lr * batch / reference, ReferenceBatch = batch };
    }

    /// <summary>Returns this preset, or throws <see cref="ArgumentOutOfRangeException"/> naming the bad field and its allowed range.</summary>
    public OptimizerPreset Validated()
    {
        static void Check(bool ok, string name, object? value, string range)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range}.");
        }

        Check(!string.IsNullOrWhiteSpace(Name), nameof(Name), Name, "a non-empty name");
        Check(Enum.IsDefined(Optimizer), nameof(Optimizer), Optimizer, "AdamW or Sgd");
        Check(Enum.IsDefined(Schedule), nameof(Schedule), Schedule, "Cosine or MultiStep");
        Check(Lr > 0 && double.IsFinite(Lr), nameof(Lr), Lr, "finite and > 0");
        Check(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "finite and >= 0");
        Check(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "in [0, 1)");
        Check(!Nesterov || Momentum > 0, nameof(Nesterov), Nesterov, "false unless Momentum > 0");
        Check(Betas.Beta1 >= 0 && Betas.Beta1 < 1, nameof(Betas), Betas, "two values in [0, 1)");
        Check(Betas.Beta2 >= 0 && Betas.Beta2 < 1, nameof(Betas), Betas, "two values in [0, 1)");
        Check(Eps > 0, nameof(Eps), Eps, "> 0");
        Check(WarmupEpochs >= 0 && double.IsFinite(WarmupEpochs), nameof(WarmupEpochs), WarmupEpochs, "finite and >= 0");
        Check(WarmupStartFactor > 0 && WarmupStartFactor <= 1, nameof(WarmupStartFactor), WarmupStartFactor, "in (0, 1]");
        Check(MinLrFactor >= 0 && MinLrFactor <= 1, nameof(MinLrFactor), MinLrFactor, "in [0, 1]");
        Check(Gamma > 0 && Gamma <= 1, nameof(Gamma), Gamma, "in (0, 1]");
        Check(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Check(Steps is not null && Steps.All(s => s >= 1) && Steps.Zip(Steps.Skip(1)).All(p => p.First < p.Second),
            nameof(Steps), Steps is null ? null : string.Join(",", Steps), "strictly increasing epochs >= 1");
        Check(ClipMaxNorm is null || ClipMaxNorm > 0, nameof(ClipMaxNorm), ClipMaxNorm, "null or > 0");
        Check(ReferenceBatch is null || ReferenceBatch >= 1, nameof(ReferenceBatch), ReferenceBatch, "null or at least 1");
        Check(PretrainedBackboneLrMultiplier > 0 && PretrainedBackboneLrMultiplier <= 1, nameof(PretrainedBackboneLrMultiplier),
            PretrainedBackboneLrMultiplier, "in (0, 1]");
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Optimizer} lr {Lr:G4} wd {WeightDecay:G4}, {Schedule}, warm-up {WarmupEpochs} epochs, clip {ClipMaxNorm?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {Epochs} epochs, batch {ReferenceBatch?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
}

/// <summary>The built-in presets (SPEC §5; from the mmaction2 / VideoSwin recipes in the training notes).</summary>
public static class OptimizerPresets
{
    /// <summary>
    /// AdamW lr 3e-4, wd 0.01, cosine to 0.01 × lr with a linear warm-up from 0.01 × lr over 2.5 epochs, clip 40,
    /// 30 epochs at batch 64. For very large backbones use <c>with { WeightDecay = 0.05, ClipMaxNorm = 1.0 }</c>; for a
    /// pretrained backbone pass <see cref="OptimizerPreset.PretrainedBackboneLrMultiplier"/> (0.1) to <see cref="ParameterGroups.Split"/>.
    /// </summary>
    public static OptimizerPreset AdamW30 { get; } = new()
    {
        Name = "adamw-30e",
        Optimizer = OptimizerKind.AdamW,
        Lr = 3e-4,
        WeightDecay = 0.01,
        Schedule = ScheduleKind.Cosine,
        WarmupEpochs = 2.5,
        ClipMaxNorm = 40,
        Epochs = 30,
        ReferenceBatch = 64,
        PretrainedBackboneLrMultiplier = 0.1,
    };

    /// <summary>SGD lr 1e-3, momentum 0.9, wd 1e-4, steps at epochs 20 and 40 (×0.1), clip 40, 50 epochs; batch unknown (no linear scaling).</summary>
    public static OptimizerPreset Sgd50 { get; } = new()
    {
        Name = "sgd-50e",
        Optimizer = OptimizerKind.Sgd,
        Lr = 1e-3,
        Momentum = 0.9,
        WeightDecay = 1e-4,
        Schedule = ScheduleKind.MultiStep,
        Steps = [20, 40],
        ClipMaxNorm = 40,
        Epochs = 50,
        ReferenceBatch = null,
    };

    /// <summary>AdamW lr 1e-4, wd 0.05, cosine to 0.01 × lr with a warm-up from 0.01 × lr over 20 epochs, clip 1.0, 200 epochs at batch 32.</summary>
    public static OptimizerPreset AdamW200 { get; } = new()
    {
        Name = "adamw-200e",
        Optimizer = OptimizerKind.AdamW,
        Lr = 1e-4,
        WeightDecay = 0.05,
        Schedule = ScheduleKind.Cosine,
        WarmupEpochs = 20,
        ClipMaxNorm = 1.0,
        Epochs = 200,
        ReferenceBatch = 32,
    };

    /// <summary>Every preset, in the order <c>toolkit</c> lists them.</summary>
    public static IReadOnlyList<OptimizerPreset> All { get; } = [AdamW30, Sgd50, AdamW200];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static OptimizerPreset Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown optimizer preset '{name}'. Known: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
    }
}
