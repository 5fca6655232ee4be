namespace Toolkit.Trainers.Training;

/// <summary>
/// The learning rate at a given iteration, with mmcv's semantics (mmcv 1.x <c>runner/hooks/lr_updater.py</c>, which
/// mmaction2 0.x configs use: <c>lr_config = dict(policy=..., warmup='linear', warmup_by_epoch=True, ...)</c>):
/// <list type="bullet">
/// <item>The regular curve is evaluated per epoch (<c>by_epoch=True</c>, the hook's default): cosine
/// <c>CosineAnnealingLrUpdaterHook.get_lr</c> = <c>annealing_cos(base, base·min_lr_ratio, epoch / max_epochs)</c>
/// with <c>annealing_cos(start, end, f) = end + 0.5·(start − end)·(cos(π·f) + 1)</c> (so the last epoch stays slightly
/// above the minimum); multi-step <c>StepLrUpdaterHook.get_lr</c> = base·γ^(number of steps ≤ epoch).</item>
/// <item>The warm-up is per iteration: <c>warmup_iters = warmup_epochs · iterations_per_epoch</c>
/// (<c>warmup_by_epoch</c>), and while the global iteration <c>cur_iter &lt; warmup_iters</c>,
/// <c>get_warmup_lr</c> ('linear') gives <c>k = (1 − cur_iter / warmup_iters)·(1 − warmup_ratio)</c>,
/// <c>lr = regular_lr·(1 − k)</c>; from <c>cur_iter = warmup_iters</c> on, the regular lr.</item>
/// </list>
/// Everything is a pure function of (epoch, iteration, iterations per epoch): resuming needs no scheduler state.
/// </summary>
public sealed class LearningRateSchedule
{
    private readonly Func<int, double> _relative;

    private LearningRateSchedule(string name, double baseLr, int? epochs, double warmupEpochs, double warmupStartFactor, Func<int, double> relative)
    {
        if (!(baseLr > 0 && double.IsFinite(baseLr)))
            throw new ArgumentOutOfRangeException(nameof(baseLr), baseLr, "baseLr must be finite and > 0.");
        if (!(warmupEpochs >= 0 && double.IsFinite(warmupEpochs)))
            throw new ArgumentOutOfRangeException(nameof(warmupEpochs), warmupEpochs, "warmupEpochs must be finite and >= 0.");
        if (!(warmupStartFactor > 0 && warmupStartFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(warmupStartFactor), warmupStartFactor, "warmupStartFactor must be in (0, 1].");
        Name = name;
        BaseLr = baseLr;
        Epochs = epochs;
        WarmupEpochs = warmupEpochs;
        WarmupStartFactor = warmupStartFactor;
        _relative = relative;
    }

    /// <summary>
    /// A multigrid schedule: lr = <paramref name="baseLr"/> × <paramref name="relativeLr"/>(epoch) (the relative-lr
    /// function of SlowFast's multigrid long cycle, which already includes the stage's batch multiplier), with an
    /// optional mmcv linear warm-up on top.
    /// </summary>
    /// <param name="baseLr">Base learning rate (&gt; 0).</param>
    /// <param name="relativeLr">Epoch → multiplier; must return a finite value ≥ 0 for every epoch asked for.</param>
    /// <param name="warmupEpochs">Warm-up length in epochs (0 = none).</param>
    /// <param name="warmupStartFactor">Warm-up start as a fraction of the regular lr (mmcv <c>warmup_ratio</c>).</param>
    /// <param name="name">Name recorded in checkpoints.</param>
    public LearningRateSchedule(double baseLr, Func<int, double> relativeLr, double warmupEpochs = 0, double warmupStartFactor = 0.01, string name = "multigrid")
        : this(name ?? throw new ArgumentNullException(nameof(name)), baseLr, null, warmupEpochs, warmupStartFactor,
            relativeLr ?? throw new ArgumentNullException(nameof(relativeLr)))
    {
    }

    /// <summary>Name (the preset's, or <c>multigrid</c>), recorded in checkpoints.</summary>
    public string Name { get; }

    /// <summary>Base learning rate (the curve's value at epoch 0 after warm-up).</summary>
    public double BaseLr { get; }

    /// <summary>Length of the curve in epochs (null for a multigrid function, which takes any epoch ≥ 0).</summary>
    public int? Epochs { get; }

    /// <summary>Warm-up length in epochs.</summary>
    public double WarmupEpochs { get; }

    /// <summary>Warm-up start factor.</summary>
    public double WarmupStartFactor { get; }

    /// <summary>Cosine annealing (mmcv <c>CosineAnnealing</c>, by epoch) from <paramref name="baseLr"/> towards <paramref name="baseLr"/> × <paramref name="minLrFactor"/>.</summary>
    /// <param name="baseLr">Base learning rate (&gt; 0).</param>
    /// <param name="epochs">Curve length (mmcv <c>max_epochs</c>), at least 1.</param>
    /// <param name="minLrFactor">mmcv <c>min_lr_ratio</c>, in [0, 1].</param>
    /// <param name="warmupEpochs">Warm-up length in epochs (may be fractional; 0 = none).</param>
    /// <param name="warmupStartFactor">mmcv <c>warmup_ratio</c>, in (0, 1].</param>
    /// <param name="name">Name recorded in checkpoints.</param>
    public static LearningRateSchedule Cosine(double baseLr, int epochs, double minLrFactor = 0.01, double warmupEpochs = 0, double warmupStartFactor = 0.01, string name = "cosine")
    {
        if (epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be at least 1.");
        if (!(minLrFactor >= 0 && minLrFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(minLrFactor), minLrFactor, "minLrFactor must be in [0, 1].");
        ArgumentNullException.ThrowIfNull(name);
        return new LearningRateSchedule(name, baseLr, epochs, warmupEpochs, warmupStartFactor, epoch =>
        {
            // mmcv annealing_cos(start = 1, end = min_lr_ratio, factor = epoch / max_epochs), relative to base.
            double factor = (double)epoch / epochs;
            return minLrFactor + 0.5 * (1 - minLrFactor) * (Math.Cos(Math.PI * factor) + 1);
        });
    }

    /// <summary>Multi-step decay (mmcv <c>step</c>): base × <paramref name="gamma"/>^(number of <paramref name="steps"/> ≤ epoch).</summary>
    /// <param name="baseLr">Base learning rate (&gt; 0).</param>
    /// <param name="epochs">Curve length, at least 1.</param>
    /// <param name="steps">Strictly increasing epochs ≥ 1.</param>
    /// <param name="gamma">Decay factor in (0, 1].</param>
    /// <param name="warmupEpochs">Warm-up length in epochs (0 = none).</param>
    /// <param name="warmupStartFactor">mmcv <c>warmup_ratio</c>, in (0, 1].</param>
    /// <param name="name">Name recorded in checkpoints.</param>
    public static LearningRateSchedule MultiStep(double baseLr, int epochs, IReadOnlyList<int> steps, double gamma = 0.1, double warmupEpochs = 0, double warmupStartFactor = 0.01, string name = "multistep")
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(name);
        if (epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be at least 1.");
        if (!steps.All(s => s >= 1) || !steps.Zip(steps.Skip(1)).All(p => p.First < p.Second))
            throw new ArgumentOutOfRangeException(nameof(steps), string.Join(",", steps), "steps must be strictly increasing epochs >= 1.");
        if (!(gamma > 0 && gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in (0, 1].");
        int[] copy = [.. steps];
        return new LearningRateSchedule(name, baseLr, epochs, warmupEpochs, warmupStartFactor,
            epoch => Math.Pow(gamma, copy.Count(s => s <= epoch)));
    }

    /// <summary>
    /// The schedule of <paramref name="preset"/> for a run of <paramref name="epochs"/> epochs at the preset's
    /// <see cref="OptimizerPreset.Lr"/> (apply <see cref="OptimizerPreset.Scaled"/> first for the linear scaling rule).
    /// Cosine runs over <paramref name="epochs"/>; multi-step boundaries scale with <paramref name="epochs"/> /
    /// <see cref="OptimizerPreset.Epochs"/>, rounded half to even (sgd-50e's [20, 40] become [10, 20] for 25 epochs, as in
    /// the notes); the warm-up length stays in epochs.
    /// </summary>
    /// <param name="preset">Validated preset.</param>
    /// <param name="epochs">Run length, at least 1.</param>
    public static LearningRateSchedule For(OptimizerPreset preset, int epochs)
    {
        ArgumentNullException.ThrowIfNull(preset);
        preset.Validated();
        if (epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be at least 1.");
        return preset.Schedule switch
        {
            ScheduleKind.Cosine => Cosine(preset.Lr, epochs, preset.MinLrFactor, preset.WarmupEpochs, preset.WarmupStartFactor, preset.Name),
            _ => MultiStep(preset.Lr, epochs,
                [.. preset.Steps.Select(s => (int)Math.Round((double)s * epochs / preset.Epochs)).Where(s => s >= 1).Distinct()],
                preset.Gamma, preset.WarmupEpochs, preset.WarmupStartFactor, preset.Name),
        };
    }

    /// <summary>The learning rate (of a group with multiplier 1) at iteration <paramref name="iteration"/> of epoch <paramref name="epoch"/>.</summary>
    /// <param name="epoch">0-based epoch, in [0, <see cref="Epochs"/>) (any epoch ≥ 0 for a multigrid function).</param>
    /// <param name="iteration">0-based iteration inside the epoch, in [0, <paramref name="iterationsPerEpoch"/>).</param>
    /// <param name="iterationsPerEpoch">Iterations per epoch, at least 1.</param>
    public double At(int epoch, int iteration, int iterationsPerEpoch)
    {
        if (iterationsPerEpoch < 1)
            throw new ArgumentOutOfRangeException(nameof(iterationsPerEpoch), iterationsPerEpoch, "iterationsPerEpoch must be at least 1.");
        if (epoch < 0 || (Epochs is { } n && epoch >= n))
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, Epochs is { } m ? $"epoch must be in [0, {m})." : "epoch must be >= 0.");
        if (iteration < 0 || iteration >= iterationsPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, $"iteration must be in [0, {iterationsPerEpoch}).");

        double relative = _relative(epoch);
        if (!(relative >= 0 && double.IsFinite(relative)))
            throw new InvalidOperationException($"The relative learning rate at epoch {epoch} is {relative}; it must be finite and >= 0.");
        double regular = BaseLr * relative;

        // mmcv: warmup_iters = warmup_epochs * len(data_loader); warm-up while cur_iter < warmup_iters.
        double warmupIters = WarmupEpochs * iterationsPerEpoch;
        double curIter = (double)epoch * iterationsPerEpoch + iteration;
        if (curIter >= warmupIters)
            return regular;
        double k = (1 - curIter / warmupIters) * (1 - WarmupStartFactor);
        return regular * (1 - k);
    }
}
