using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;
using Toolkit.Charts;
using Toolkit.Trainers.Abstractions;
using TorchSharp;

namespace Toolkit.Trainers.Hosting;

/// <summary>
/// Records what a plugin reports into <c>WORK_DIR/metrics/</c>: <c>iterations.csv</c>, <c>epochs.csv</c>,
/// <c>metrics.json</c>, mmaction2-style <c>log.json</c> lines and <c>metrics.png</c> (loss, accuracy and LR over the run), rewritten atomically after every
/// epoch and checkpoint, and forwards every call to another reporter (the progress display).
/// </summary>
/// <remarks>
/// A resumed run picks up the existing <c>metrics.json</c>; when a step or epoch comes again (the run resumed from a
/// checkpoint older than the last record), the later records are dropped, so the files describe one consistent run.
/// </remarks>
public sealed class MetricsRecorder : ITrainingReporter
{
    private readonly Lock _gate = new();
    private readonly List<IterationMetrics> _iterations = [];
    private readonly List<EpochMetrics> _epochs = [];
    private readonly List<CheckpointInfo> _checkpoints = [];
    private readonly ITrainingReporter? _forward;
    private readonly TorchSharp.Modules.SummaryWriter _tensorboard;
    private readonly Toolkit.Loaders.Pipeline.IBatchShapes? _shapes;

    private const string RerunHint = "free space on that file system (or make it writable) and run the same command again: it resumes from the last complete checkpoint";

    /// <summary>The TensorBoard folder inside a work dir (<c>tensorboard --logdir WORK_DIR/tb</c>).</summary>
    public const string TensorBoardFolder = "tb";

    /// <summary>Records under <paramref name="workDir"/>/metrics (and TensorBoard events under <c>tb/</c>), resuming what is there.</summary>
    public MetricsRecorder(string workDir, ITrainingReporter? forward = null) : this(workDir, forward, null)
    {
    }

    /// <summary>
    /// As <see cref="MetricsRecorder(string, ITrainingReporter?)"/>; with <paramref name="shapes"/> (a multigrid
    /// schedule) TensorBoard also shows each step's batch size, frames and crop (<c>multigrid/*</c>).
    /// </summary>
    public MetricsRecorder(string workDir, ITrainingReporter? forward, Toolkit.Loaders.Pipeline.IBatchShapes? shapes)
    {
        _shapes = shapes;
        ArgumentNullException.ThrowIfNull(workDir);
        Folder = Path.Combine(workDir, "metrics");
        Directory.CreateDirectory(Folder);
        _forward = forward;
        // TorchSharp's own writer (TFRecord framing, Event protobufs): a new event file per start; TensorBoard merges them.
        TensorBoardPath = Path.Combine(workDir, TensorBoardFolder);
        _tensorboard = Guarded(() => torch.utils.tensorboard.SummaryWriter(TensorBoardPath, null, false));
        string json = Path.Combine(Folder, "metrics.json");
        if (File.Exists(json))
        {
            try
            {
                var saved = JsonSerializer.Deserialize<Saved>(File.ReadAllText(json), JsonOptions);
                if (saved is not null)
                {
                    // Schema 2 numbers epochs and iterations from 1, as the console does; files before it from 0.
                    int shift = saved.Schema >= 2 ? 1 : 0;
                    _iterations.AddRange(saved.Iterations.Select(m => m with { Epoch = m.Epoch - shift, Iteration = m.Iteration - shift }));
                    _epochs.AddRange(saved.Epochs.Select(m => m with { Epoch = m.Epoch - shift }));
                    _checkpoints.AddRange(saved.Checkpoints);
                }
            }
            catch (JsonException)
            {
                // A metrics.json from another tool or version: start the record afresh rather than fail the run.
            }
        }
    }

    /// <summary>The metrics folder.</summary>
    public string Folder { get; }

    /// <summary>The PNG plot.</summary>
    public string PlotPath => Path.Combine(Folder, "metrics.png");

    /// <summary>Epoch records so far.</summary>
    public IReadOnlyList<EpochMetrics> Epochs
    {
        get
        {
            lock (_gate)
                return [.. _epochs];
        }
    }

    /// <summary>Iteration records so far.</summary>
    public IReadOnlyList<IterationMetrics> Iterations
    {
        get
        {
            lock (_gate)
                return [.. _iterations];
        }
    }

    /// <summary>The TensorBoard event folder.</summary>
    public string TensorBoardPath { get; }

    /// <inheritdoc />
    public void Iteration(IterationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        lock (_gate)
        {
            _iterations.RemoveAll(m => m.Step >= metrics.Step);
            _iterations.Add(metrics);
            int step = (int)Math.Min(int.MaxValue, metrics.Step);
            Guarded(() =>
            {
                _tensorboard.add_scalar("train/loss", (float)metrics.Loss, step);
                _tensorboard.add_scalar("train/lr", (float)metrics.LearningRate, step);
                _tensorboard.add_scalar("train/grad_norm", (float)metrics.GradNorm, step);
                _tensorboard.add_scalar("train/iteration_seconds", (float)metrics.Seconds, step);
                _tensorboard.add_scalar("train/data_seconds", (float)metrics.DataSeconds, step);
                if (metrics.Seconds > 0)
                    _tensorboard.add_scalar("train/samples_per_s", (float)(metrics.BatchSize / metrics.Seconds), step);
                foreach (var (group, lr) in metrics.GroupLearningRates ?? new Dictionary<string, double>())
                    _tensorboard.add_scalar($"train/lr/{group}", (float)lr, step);
                if (_shapes?.ForIteration(metrics.Epoch, metrics.Iteration) is { } shape)
                {
                    _tensorboard.add_scalar("multigrid/batch", shape.BatchSize, step);
                    _tensorboard.add_scalar("multigrid/frames", shape.Frames, step);
                    _tensorboard.add_scalar("multigrid/crop", shape.Crop, step);
                }
                return 0;
            });
        }
        _forward?.Iteration(metrics);
    }

    /// <inheritdoc />
    public void Epoch(EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        lock (_gate)
        {
            _epochs.RemoveAll(m => m.Epoch >= metrics.Epoch);
            _epochs.Add(metrics);
            int epoch = metrics.Epoch + 1; // 1-based, as the console and log.json count epochs
            Guarded(() =>
            {
                _tensorboard.add_scalar("epoch/train_loss", (float)metrics.TrainLoss, epoch);
                _tensorboard.add_scalar("epoch/train_top1", (float)metrics.TrainTop1, epoch);
                if (metrics.ValidationLoss is { } vl)
                    _tensorboard.add_scalar("epoch/val_loss", (float)vl, epoch);
                if (metrics.ValidationTop1 is { } v1)
                    _tensorboard.add_scalar("epoch/val_top1", (float)v1, epoch);
                if (metrics.ValidationTop5 is { } v5)
                    _tensorboard.add_scalar("epoch/val_top5", (float)v5, epoch);
                _tensorboard.add_scalar("epoch/lr", (float)metrics.LearningRate, epoch);
                _tensorboard.add_scalar("epoch/iterations_per_s", (float)metrics.IterationsPerSecond, epoch);
                _tensorboard.add_scalar("epoch/peak_memory_mb", (float)(metrics.PeakMemoryBytes / 1048576.0), epoch);
                return 0;
            });
        }
        Flush();
        _forward?.Epoch(metrics);
    }

    // A TensorBoard write that fails (disk full, read-only folder) is one clear error naming the folder, as the other files.
    private T Guarded<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Toolkit.Core.ToolkitError(TensorBoardPath, $"the TensorBoard events cannot be written ({e.Message})",
                RerunHint);
        }
    }

    /// <inheritdoc />
    public void Checkpoint(CheckpointInfo checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        lock (_gate)
        {
            _checkpoints.RemoveAll(c => c.Step >= checkpoint.Step);
            _checkpoints.Add(checkpoint);
        }
        // Recorded now, written with the epoch that follows (or by the run's final Flush): one write and one plot per epoch.
        _forward?.Checkpoint(checkpoint);
    }

    /// <inheritdoc />
    public void Message(string text) => _forward?.Message(text);

    /// <summary>Writes the CSV, JSON and PNG files now (each through a temporary file and a rename).</summary>
    public void Flush()
    {
        IterationMetrics[] its;
        EpochMetrics[] eps;
        CheckpointInfo[] cps;
        lock (_gate)
        {
            its = [.. _iterations];
            eps = [.. _epochs];
            cps = [.. _checkpoints];
        }
        var inv = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("epoch,iteration,step,loss,lr,grad_norm,batch,seconds,data_seconds\n");
        foreach (var m in its)
            csv.Append(inv, $"{m.Epoch + 1},{m.Iteration + 1},{m.Step},{m.Loss:R},{m.LearningRate:R},{m.GradNorm:R},{m.BatchSize},{m.Seconds:F6},{m.DataSeconds:F6}\n");
        Atomic(Path.Combine(Folder, "iterations.csv"), Encoding.UTF8.GetBytes(csv.ToString()));
        var ecsv = new StringBuilder("epoch,train_loss,train_top1,val_loss,val_top1,val_top5,lr,seconds,iterations_per_s,peak_memory_mb\n");
        foreach (var m in eps)
        {
            ecsv.Append(inv, $"{m.Epoch + 1},{m.TrainLoss:R},{m.TrainTop1:R},{Opt(m.ValidationLoss)},{Opt(m.ValidationTop1)},{Opt(m.ValidationTop5)},{m.LearningRate:R},{m.Seconds:F3},{m.IterationsPerSecond:F4},{m.PeakMemoryBytes / 1048576.0:F1}\n");
        }
        Atomic(Path.Combine(Folder, "epochs.csv"), Encoding.UTF8.GetBytes(ecsv.ToString()));
        Atomic(Path.Combine(Folder, "metrics.json"), JsonSerializer.SerializeToUtf8Bytes(
            new Saved([.. its.Select(m => m with { Epoch = m.Epoch + 1, Iteration = m.Iteration + 1 })], [.. eps.Select(m => m with { Epoch = m.Epoch + 1 })], cps) { Schema = 2 }, JsonOptions));
        Atomic(Path.Combine(Folder, LogFileName), MmactionLog(its, eps));
        if (its.Length > 0)
            Atomic(PlotPath, Plot(its, eps));

        static string Opt(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
    }

    /// <summary>The mmaction2-style log beside the CSV files: one JSON object per line, as mmaction2's <c>*.log.json</c>.</summary>
    public const string LogFileName = "log.json";

    /// <summary>
    /// mmaction2's JSON log lines, epochs and iterations 1-based as its console counts them: a <c>"mode": "train"</c>
    /// line per iteration (<c>epoch, iter, lr, loss, grad_norm, time, data_time</c>) and a <c>"mode": "val"</c> line per
    /// evaluated epoch (<c>epoch, iter, lr, loss, top1_acc, top5_acc</c>), so its log-analysis scripts read our runs.
    /// </summary>
    internal static byte[] MmactionLog(IReadOnlyList<IterationMetrics> iterations, IReadOnlyList<EpochMetrics> epochs)
    {
        var lines = new StringBuilder();
        var compact = new JsonSerializerOptions(JsonOptions) { WriteIndented = false };
        void Line(Dictionary<string, object?> fields) => lines.Append(JsonSerializer.Serialize(fields, compact)).Append('\n');
        var perEpoch = iterations.GroupBy(m => m.Epoch).ToDictionary(g => g.Key, g => g.ToList());
        foreach (int epoch in perEpoch.Keys.Union(epochs.Select(e => e.Epoch)).Order())
        {
            if (perEpoch.TryGetValue(epoch, out var its))
            {
                foreach (var m in its)
                {
                    Line(new() { ["mode"] = "train", ["epoch"] = m.Epoch + 1, ["iter"] = m.Iteration + 1, ["lr"] = m.LearningRate, ["loss"] = m.Loss,
                        ["grad_norm"] = m.GradNorm, ["time"] = m.Seconds, ["data_time"] = m.DataSeconds });
                }
            }
            if (epochs.FirstOrDefault(e => e.Epoch == epoch) is { ValidationTop1: not null } val)
            {
                Line(new() { ["mode"] = "val", ["epoch"] = val.Epoch + 1, ["iter"] = its?.Count ?? 0, ["lr"] = val.LearningRate, ["loss"] = val.ValidationLoss,
                    ["top1_acc"] = val.ValidationTop1, ["top5_acc"] = val.ValidationTop5 });
            }
        }
        return Encoding.UTF8.GetBytes(lines.ToString());
    }

    /// <summary>Three stacked panels over epochs: training loss (per iteration and epoch mean, validation loss), accuracy, learning rate.</summary>
    internal static byte[] Plot(IReadOnlyList<IterationMetrics> iterations, IReadOnlyList<EpochMetrics> epochs)
    {
        const int width = 900, height = 280;
        var perEpoch = iterations.GroupBy(m => m.Epoch).ToDictionary(g => g.Key, g => Math.Max(1, g.Max(m => m.Iteration) + 1));
        double X(IterationMetrics m) => m.Epoch + (double)m.Iteration / perEpoch[m.Epoch];
        double[] ix = iterations.Select(X).ToArray();
        double[] ex = epochs.Select(e => e.Epoch + 1.0).ToArray();
        var plots = new List<Plot>();
        try
        {
            var loss = new Plot();
            plots.Add(loss);
            var train = loss.Add.ScatterLine(ix, iterations.Select(m => m.Loss).ToArray());
            train.LegendText = "training loss (iteration)";
            train.LineWidth = 1;
            if (epochs.Count > 0)
            {
                var mean = loss.Add.Scatter(ex, epochs.Select(e => e.TrainLoss).ToArray());
                mean.LegendText = "training loss (epoch mean)";
                mean.LineWidth = 2;
                var withVal = epochs.Where(e => e.ValidationLoss is not null).ToArray();
                if (withVal.Length > 0)
                {
                    var val = loss.Add.Scatter(withVal.Select(e => e.Epoch + 1.0).ToArray(), withVal.Select(e => e.ValidationLoss!.Value).ToArray());
                    val.LegendText = "validation loss";
                    val.LineWidth = 2;
                }
            }
            loss.Title("Loss");
            loss.YLabel("cross-entropy");
            loss.ShowLegend();

            var acc = new Plot();
            plots.Add(acc);
            if (epochs.Count > 0)
            {
                var top1 = acc.Add.Scatter(ex, epochs.Select(e => 100 * e.TrainTop1).ToArray());
                top1.LegendText = "training top-1";
                var withVal = epochs.Where(e => e.ValidationTop1 is not null).ToArray();
                if (withVal.Length > 0)
                {
                    double[] vx = withVal.Select(e => e.Epoch + 1.0).ToArray();
                    var v1 = acc.Add.Scatter(vx, withVal.Select(e => 100 * e.ValidationTop1!.Value).ToArray());
                    v1.LegendText = "validation top-1";
                    var with5 = withVal.Where(e => e.ValidationTop5 is not null).ToArray();
                    if (with5.Length > 0)
                    {
                        var v5 = acc.Add.Scatter(with5.Select(e => e.Epoch + 1.0).ToArray(), with5.Select(e => 100 * e.ValidationTop5!.Value).ToArray());
                        v5.LegendText = "validation top-5";
                    }
                }
                acc.ShowLegend();
            }
            acc.Title("Accuracy (per epoch; validation averages each video's views)");
            acc.YLabel("%");
            acc.Axes.SetLimitsY(0, 100);

            var lr = new Plot();
            plots.Add(lr);
            var line = lr.Add.ScatterLine(ix, iterations.Select(m => m.LearningRate).ToArray());
            line.LineWidth = 2;
            lr.Title("Learning rate");
            lr.YLabel("LR");
            lr.XLabel("epoch");
            return StackedCharts.Png(plots, width, height);
        }
        finally
        {
            foreach (var p in plots)
                p.Dispose();
        }
    }

    // Through a temporary file and a rename; a failed write (disk full, permission) leaves the previous file and no
    // temporary one, and becomes one clear error naming the file (the checkpoints are written elsewhere and kept).
    private static void Atomic(string path, byte[] bytes)
    {
        string tmp = path + ".tmp";
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(tmp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The write failed first: that is the error to report.
            }
            throw new Toolkit.Core.ToolkitError(path, $"the training metrics cannot be written ({e.Message})",
                RerunHint);
        }
    }

    // A diverging run's NaN / Infinity are written as the strings "NaN", "Infinity" (JSON has no such numbers) and read back.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    // Schema 2: epochs and iterations 1-based (as the console, the CSV files, log.json and the checkpoint folders count).
    private sealed record Saved(IReadOnlyList<IterationMetrics> Iterations, IReadOnlyList<EpochMetrics> Epochs, IReadOnlyList<CheckpointInfo> Checkpoints)
    {
        public int Schema { get; init; }
    }
}
