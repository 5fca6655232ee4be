using System.Diagnostics;
using System.Globalization;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Models.Flops;
using Toolkit.Trainers.Models.Norms;
using Toolkit.Trainers.Models.Stochastic;
using Toolkit.Trainers.Models.Transformers;
using Toolkit.Trainers.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Trainers.VideoClassifier;

/// <summary>
/// One training run of the video classifier: epochs over the host's batches (shapes may change per iteration under
/// multigrid), optimizer step with L2 clipping, evaluation with view averaging, precise BN, atomic checkpoints and
/// resume. Every random choice is seeded: the host's loader by (seed, epoch), the model's dropout and drop-path layers
/// (each with a generator of its own, never torch's global one) reseeded from (seed, epoch) at each epoch start, so a
/// run resumed from an epoch checkpoint continues exactly as an uninterrupted one.
/// </summary>
internal sealed class ClassifierTraining(TrainingSession session, VideoClassifierOptions options)
{
    /// <summary>The run, on a thread of its own (<see cref="ComputeThread"/>: one glibc arena for every step).</summary>
    public Task<TrainingOutcome> RunAsync(CancellationToken cancellationToken) =>
        ComputeThread.Run("toolkit-train", () => Run(cancellationToken));

    private TrainingOutcome Run(CancellationToken cancellationToken)
    {
        var data = session.Data;
        var entry = ModelZoo.Get(options.Model);
        var spec = SpecFor(options, entry, data.Classes);
        using var model = entry.Create(ModelOptionsFor(spec).Validated());
        using var frames = entry.IsImageModel ? new FrameAveraging(model) : null;
        nn.Module<Tensor, Tensor> net = frames is null ? model : frames;
        net.to(session.Device);
        var preset = Preset(data.BatchSize);
        var groups = ParameterGroups.Split(model, model.Backbone, options.BackboneLrMultiplier);
        using var optimizer = Optimizers.Create(preset, groups);
        var lrCurve = session.Schedule.ReplacesLrSchedule
            ? new LearningRateSchedule(preset.Lr, e => session.Schedule.RelativeLearningRate(e), 0, preset.WarmupStartFactor, "multigrid")
            : LearningRateSchedule.For(preset, session.Schedule.Epochs);
        double clip = preset.ClipMaxNorm ?? 0;
        var parameters = model.parameters().ToList();
        var subBatchNorms = model.modules().OfType<SubBatchNorm3d>().ToList();
        var packing = new KernelCachePacking();

        int startEpoch = 0;
        long step = 0;
        string? lastCheckpoint = null;
        if (session.Resume && Resume(session, net, optimizer) is { } state)
        {
            if (state.Seed != session.Seed)
                throw new InvalidOperationException($"the checkpoint in {session.WorkDir} was trained with seed {state.Seed}, this run has seed {session.Seed}; use another --work-dir or the same seed");
            startEpoch = state.Epoch;
            step = state.Step;
            lastCheckpoint = Path.Combine(session.WorkDir, Checkpoint.FolderName, Checkpoint.FolderFor(state.Epoch));
            session.Reporter.Message(string.Create(CultureInfo.InvariantCulture, $"resumed from {lastCheckpoint} (epoch {state.Epoch}, step {state.Step})"));
        }
        else if (options.InitFrom is { } init)
        {
            PretrainedInit.Apply(model, spec, init, options.InitFormat, session.Reporter);
            if (options.BackboneLrMultiplier == 1.0)
                session.Reporter.Message("the backbone is pretrained: a backbone_lr_multiplier below 1 (0.1 is usual) keeps its features while the head learns");
        }
        session.Reporter.Message(string.Create(CultureInfo.InvariantCulture,
            $"{entry.Name} ({FlopCounter.Parameters(model) / 1e6:F2}M params) on {session.Device.type}, {session.Schedule.Kind} schedule, {session.Schedule.Epochs} epochs, preset {preset.Name} (lr {preset.Lr:G4}, wd {preset.WeightDecay:G3}, clip {(clip > 0 ? clip.ToString("G3", CultureInfo.InvariantCulture) : "off")})"));

        EpochMetrics? last = null;
        for (int epoch = startEpoch; epoch < session.Schedule.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            StochasticLayers.Reseed(net, session.Seed, epoch);
            net.train();
            int iterations = data.IterationsIn(epoch);
            double lossSum = 0, correct = 0;
            int samples = 0, done = 0;
            double lr = lrCurve.At(epoch, 0, iterations);
            var wait = Stopwatch.StartNew();
            foreach (var batch in data.TrainAsync(epoch, cancellationToken).ToBlockingEnumerable(cancellationToken))
            {
                double dataSeconds = wait.Elapsed.TotalSeconds;
                var stepClock = Stopwatch.StartNew();
                foreach (var bn in subBatchNorms)
                    bn.Splits = batch.NormSplits;
                lr = lrCurve.At(epoch, batch.Iteration, iterations);
                Optimizers.SetLearningRate(optimizer, lr);
                double lossValue, gradNorm, hits;
                using (packing.Around(batch.Inputs, training: true))
                using (NewDisposeScope())
                {
                    optimizer.zero_grad();
                    var logits = net.call(batch.Inputs);
                    var loss = batch.Targets is { } targets
                        ? Losses.SoftTargetCrossEntropy(logits, targets)
                        : Losses.CrossEntropy(logits, batch.Labels, options.LabelSmoothing);
                    loss.backward();
                    // Without clipping, a bound no norm reaches still measures the norm for the metrics.
                    gradNorm = GradientClipping.ClipL2(parameters, clip > 0 ? clip : double.MaxValue);
                    if (!double.IsFinite(gradNorm))
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the gradient norm is {gradNorm} at epoch {epoch}, iteration {batch.Iteration} (lr {lr:G4}): training diverged; lower trainer.lr or keep clip_grad on"));
                    optimizer.step();
                    lossValue = loss.item<float>();
                    hits = Accuracy.TopK(logits.detach(), batch.Labels, 1) * batch.Samples;
                }
                if (!double.IsFinite(lossValue))
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the loss is {lossValue} at epoch {epoch}, iteration {batch.Iteration} (lr {lr:G4}): training diverged; lower trainer.lr, keep clip_grad on, or use warm-up"));
                lossSum += lossValue * batch.Samples;
                correct += hits;
                samples += batch.Samples;
                done++;
                session.Reporter.Iteration(new IterationMetrics(epoch, batch.Iteration, step, lossValue, lr, gradNorm, batch.Samples, stepClock.Elapsed.TotalSeconds, dataSeconds)
                {
                    GroupLearningRates = groups.ToDictionary(g => g.Name, g => lr * g.LrMultiplier, StringComparer.Ordinal),
                });
                step++;
                wait.Restart();
            }
            double trainSeconds = clock.Elapsed.TotalSeconds;
            bool lastEpoch = epoch == session.Schedule.Epochs - 1;
            double? valLoss = null, top1 = null, top5 = null;
            if (data.ValidationSamples > 0 && ((epoch + 1) % options.EvalEvery == 0 || lastEpoch))
            {
                if (options.PreciseBnBatches > 0 && model.modules().Any(IsBatchNorm))
                {
                    int used = PreciseBatchNorm.Recompute(net, data.TrainAsync(epoch, cancellationToken).ToBlockingEnumerable(cancellationToken).Select(b => b.Inputs), options.PreciseBnBatches);
                    session.Reporter.Message($"precise BN: statistics recomputed over {used} batches");
                }
                (valLoss, top1, top5) = Evaluate(net, packing, cancellationToken);
            }
            last = new EpochMetrics(epoch, samples > 0 ? lossSum / samples : double.NaN, samples > 0 ? correct / samples : 0, valLoss, top1, top5,
                lr, clock.Elapsed.TotalSeconds, done / Math.Max(trainSeconds, 1e-9), PeakMemory());
            // Never checkpoint a diverged model: a rerun would resume from it and fail again. Its metrics are still recorded.
            if (Diverged(model, valLoss) is { } poison)
            {
                session.Reporter.Epoch(last);
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"training diverged in epoch {epoch} ({poison}; lr {lr:G4}); this epoch was not checkpointed. Lower trainer.lr (or keep clip_grad on, add warm-up) and rerun: it resumes from {(lastCheckpoint is null ? "scratch (no checkpoint yet)" : lastCheckpoint)}; or resume from an earlier epoch with --resume-from N, or start afresh with --no-resume"));
            }
            if ((epoch + 1) % options.CheckpointEvery == 0 || lastEpoch)
            {
                // Sub-batch norms are saved aggregated (one split), so any run loads them whatever the next stage's splits.
                foreach (var bn in subBatchNorms)
                    bn.Splits = 1;
                lastCheckpoint = Checkpoint.Save(session.WorkDir, net, optimizer, new TrainingState
                {
                    Epoch = epoch + 1,
                    Step = step,
                    Seed = session.Seed,
                    Model = spec,
                    Schedule = lrCurve.Name,
                    Metrics = CheckpointMetrics(samples > 0 ? lossSum / samples : 0, top1),
                });
                Checkpoint.Keep(session.WorkDir, options.KeepCheckpoints);
                session.Reporter.Checkpoint(new CheckpointInfo(lastCheckpoint, epoch + 1, step));
            }
            session.Reporter.Epoch(last);
        }
        return new TrainingOutcome(session.Schedule.Epochs, lastCheckpoint, last);
    }

    /// <summary>Validation loss (NLL of the view-averaged probabilities), top-1 and top-5 (null with 5 classes or fewer: always 1).</summary>
    private (double Loss, double Top1, double? Top5) Evaluate(nn.Module<Tensor, Tensor> net, KernelCachePacking packing, CancellationToken cancellationToken)
    {
        net.eval();
        double nll = 0, top1 = 0, top5 = 0;
        int samples = 0;
        int k5 = Math.Min(5, session.Data.Classes);
        foreach (var batch in session.Data.ValidateAsync(cancellationToken).ToBlockingEnumerable(cancellationToken))
        {
            using var packed = packing.Around(batch.Inputs, training: false);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var probs = Accuracy.AverageViews(net.call(batch.Inputs), batch.ViewsPerSample);
            int n = (int)probs.shape[0];
            var picked = probs.gather(1, batch.Labels.view(-1, 1)).clamp_min(1e-12);
            nll += -picked.log().sum().item<float>();
            top1 += Accuracy.TopK(probs, batch.Labels, 1) * n;
            top5 += Accuracy.TopK(probs, batch.Labels, k5) * n;
            samples += n;
        }
        double? t5 = session.Data.Classes > 5 && samples > 0 ? top5 / samples : null;
        return samples == 0 ? (double.NaN, 0, null) : (nll / samples, top1 / samples, t5);
    }

    // One description of the model (what its weights look like); the run adds only what does not change them.
    /// <summary>
    /// The latest checkpoint loaded into <paramref name="net"/>, or null when there is none; weights that do not fit the
    /// model of this config (it changed since the checkpoint was written) are the host's <see cref="CheckpointException"/>.
    /// </summary>
    private static TrainingState? Resume(TrainingSession session, nn.Module net, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        try
        {
            return Checkpoint.TryLoadLatest(session.WorkDir, net, optimizer,
                (folder, why) => session.Reporter.Message($"skipped checkpoint {folder}: {why}"));
        }
        catch (ModelMismatchException e)
        {
            throw new CheckpointException(CheckpointProblem.WrongModel,
                $"{e.Message}: the config's model is not the one these checkpoints were trained with", e);
        }
    }

    private ModelOptions ModelOptionsFor(ModelSpec spec) => spec.ToOptions(new ModelOptions
    {
        Dropout = options.Dropout,
        Seed = session.Seed,
        // Sub-batch norm everywhere when the schedule is multigrid: its splits follow each batch (1 = plain BatchNorm).
        Norm3d = session.Schedule.ReplacesLrSchedule ? SubBatchNorm3d.Factory(1) : null,
    });

    /// <summary>The model <paramref name="options"/> describe, with <paramref name="classes"/> classes.</summary>
    internal static ModelSpec SpecFor(VideoClassifierOptions options, ModelEntry entry, int classes) => new(entry.Name, classes)
    {
        Width = options.Width,
        Depth = options.Depth,
        StemTemporalStride = options.StemTemporalStride,
        Norm = options.Norm,
        Activation = options.Activation,
        WeightNorm = options.WeightNorm,
        PreNorm = options.PreNorm,
    };

    private OptimizerPreset Preset(int batch)
    {
        var preset = OptimizerPresets.Get(options.Optimizer);
        preset = preset with
        {
            Lr = options.Lr ?? preset.Lr,
            WeightDecay = options.WeightDecay ?? preset.WeightDecay,
            WarmupEpochs = options.WarmupEpochs ?? preset.WarmupEpochs,
            ClipMaxNorm = options.ClipGrad is { } c ? (c > 0 ? c : null) : preset.ClipMaxNorm,
        };
        return (options.LinearScaling ? preset.Scaled(batch) : preset).Validated();
    }

    /// <summary>The metrics a checkpoint records; val_top1 only when evaluated (JSON has no NaN, and the state file is JSON).</summary>
    internal static Dictionary<string, double> CheckpointMetrics(double trainLoss, double? top1)
    {
        var metrics = new Dictionary<string, double> { ["train_loss"] = trainLoss };
        if (top1 is { } t)
            metrics[Checkpoint.BestMetric] = t;
        return metrics;
    }

    /// <summary>What is not finite after an epoch (a weight or buffer, or the validation loss), or null when all is.</summary>
    internal static string? Diverged(nn.Module model, double? valLoss)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!p.isfinite().all().item<bool>())
                return $"weight {name} is not finite";
        }
        foreach (var (name, b) in model.named_buffers())
        {
            if (b.is_floating_point() && !b.isfinite().all().item<bool>())
                return $"buffer {name} is not finite";
        }
        if (valLoss is { } v && !double.IsFinite(v))
            return string.Create(CultureInfo.InvariantCulture, $"the validation loss is {v}");
        return null;
    }

    private static bool IsBatchNorm(nn.Module m) => m is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d or SubBatchNorm3d;

    private static long PeakMemory() => Toolkit.Core.ProcessMemory.Peak();
}

/// <summary>A frame (image) model applied to clips: N × C × T × H × W → per-frame logits → mean over T (TSN-style consensus).</summary>
internal sealed class FrameAveraging : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> frames;

    public FrameAveraging(nn.Module<Tensor, Tensor> frameModel) : base(nameof(FrameAveraging))
    {
        frames = frameModel;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        long n = input.shape[0], c = input.shape[1], t = input.shape[2];
        var flat = input.permute(0, 2, 1, 3, 4).reshape(n * t, c, input.shape[3], input.shape[4]);
        var logits = frames.call(flat);
        return logits.view(n, t, -1).mean([1]);
    }
}
