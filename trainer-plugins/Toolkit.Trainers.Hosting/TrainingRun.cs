using System.Globalization;
using System.Text.Json;
using Toolkit.Core;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Training;
using TorchSharp;

namespace Toolkit.Trainers.Hosting;

/// <summary>A plugin that threw while training. The message names the plugin, the cause, and the checkpoint to resume from.</summary>
public sealed class PluginFailedException : Exception
{
    /// <summary>Creates the error.</summary>
    public PluginFailedException(string plugin, string? lastCheckpoint, Exception inner)
        : base($"trainer plugin '{plugin}' failed: {inner.GetType().Name}: {inner.Message}. " +
               (lastCheckpoint is null ? "No checkpoint was written yet." : $"The last complete checkpoint is {lastCheckpoint}; run the same command again to resume from it."), inner)
    {
        Plugin = plugin;
        LastCheckpoint = lastCheckpoint;
    }

    private PluginFailedException(string plugin, string message, Exception inner, bool _)
        : base(message, inner) => Plugin = plugin;

    /// <summary>A plugin that threw while opening a checkpoint for <c>toolkit test</c> / <c>predict</c> (no training state is involved).</summary>
    public static PluginFailedException WhileTesting(string plugin, Exception inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new PluginFailedException(plugin, $"trainer plugin '{plugin}' failed while loading the checkpoint for testing: {inner.GetType().Name}: {inner.Message}", inner, true);
    }

    /// <summary>The plugin's name.</summary>
    public string Plugin { get; }

    /// <summary>The last checkpoint the plugin reported, if any.</summary>
    public string? LastCheckpoint { get; }
}

/// <summary>What <see cref="TrainingRun.RunAsync"/> needs besides the plugin.</summary>
public sealed record TrainingRunOptions
{
    /// <summary>The run config.</summary>
    public required TrainingConfig Config { get; init; }

    /// <summary>Output folder (created).</summary>
    public required string WorkDir { get; init; }

    /// <summary>
    /// Resume from the newest checkpoint in the work dir (default on). Off (<c>--no-resume</c>): whatever an earlier run
    /// left in the work dir is moved into <c>previous/&lt;time&gt;/</c> first, so the new run's epochs and metrics never
    /// sit beside the old ones.
    /// </summary>
    public bool Resume { get; init; } = true;

    /// <summary>
    /// <c>--resume-from</c>: the checkpoint to resume from (an epoch number, <c>epoch_NNNN</c> or its path) instead of the
    /// newest; the later ones are moved into <c>previous/&lt;time&gt;/checkpoints/</c>. Null: the newest that verifies.
    /// </summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Progress display, called after the metrics are recorded.</summary>
    public ITrainingReporter? Display { get; init; }

    /// <summary>Called once the data and schedule are built, before training starts (a display sizes its bar here).</summary>
    public Action<ITrainingData, ITrainingSchedule>? OnStart { get; init; }
}

/// <summary>One training run through a plugin: check its options, build the loaders and schedule, train, record metrics.</summary>
public static class TrainingRun
{
    /// <summary>The device for <paramref name="name"/> (auto: the first CUDA device when there is one).</summary>
    /// <exception cref="ToolkitError">CUDA asked for but not available.</exception>
    public static torch.Device ResolveDevice(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool cuda = torch.cuda.is_available();
        if (name == "auto")
            return cuda ? torch.CUDA : torch.CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal) && !cuda)
            throw new ToolkitError($"device {name}", "CUDA is not available in this build or on this machine", "build with -p:TorchCuda=true on a machine with an NVIDIA driver (docs/torchsharp.md) or run the device kit against an installed CUDA PyTorch (docs/gpu.md), or use device cpu; toolkit doctor shows what was found");
        return new torch.Device(name);
    }

    /// <summary>Runs <paramref name="plugin"/> on <paramref name="options"/>.</summary>
    /// <exception cref="ToolkitError">Bad plugin options, data or device (nothing was trained).</exception>
    /// <exception cref="PluginFailedException">The plugin threw while training.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the last checkpoint is intact.</exception>
    public static async Task<(TrainingOutcome Outcome, MetricsRecorder Metrics)> RunAsync(LoadedPlugin plugin, TrainingRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(options);
        var config = options.Config;
        var trainer = config.Trainer.ValueKind == JsonValueKind.Undefined ? JsonDocument.Parse("{}").RootElement : config.Trainer;
        IReadOnlyList<string> problems;
        try
        {
            problems = plugin.Instance.Validate(trainer)
                ?? throw new InvalidOperationException("Validate returned null (it must return an empty list when the options are valid)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PluginFailedException(plugin.Name, null, e);
        }
        if (problems.Count > 0)
            throw PluginOptionsError.Of(plugin.Name, config, "the config", problems);
        var device = ResolveDevice(config.Device);
        if (File.Exists(options.WorkDir))
            throw new ToolkitError(options.WorkDir, "is a file, not a folder", "pass --work-dir a folder (it is created when missing)");
        using var workLock = WorkDirLock.Acquire(options.WorkDir);
        PrepareWorkDir(options);
        await using var data = LoaderTrainingData.Create(config, device);
        var previousStart = RecordStart(plugin, options, device);
        ITrainingSchedule schedule = data.Multigrid is { } mg ? new MultigridTrainingSchedule(mg) : new FixedSchedule(config.Epochs);
        options.OnStart?.Invoke(data, schedule);
        var metrics = new MetricsRecorder(options.WorkDir, options.Display, data.Multigrid);
        var tracker = new CheckpointTracker(metrics);
        var session = new TrainingSession(trainer, options.WorkDir, device, data, schedule, tracker) { Resume = options.Resume, Seed = config.Seed };
        bool failed = true;
        try
        {
            var training = plugin.Instance.TrainAsync(session, cancellationToken)
                ?? throw new InvalidOperationException("TrainAsync returned null instead of a task");
            var outcome = await training.ConfigureAwait(false)
                ?? throw new InvalidOperationException("TrainAsync finished without an outcome (null)");
            failed = false;
            return (outcome, metrics);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (ToolkitError)
        {
            throw;
        }
        catch (CheckpointException e) when (options.Resume && tracker.Last is null)
        {
            // The work dir's checkpoints do not fit the config's model (its architecture or shape changed): nothing was
            // trained, so the previous start's record is put back and the user is told what changed, not "resume".
            previousStart?.Before.Restore(options.WorkDir);
            string changes = previousStart is { Changes.Count: > 0 } p ? $" (changes since its start {p.Before.Started:yyyy-MM-dd HH:mm} UTC: {string.Join("; ", p.Changes)})" : "";
            throw new ToolkitError(options.WorkDir, $"cannot resume: {e.Message}{changes}",
                "undo the model change to resume, use another --work-dir for the new model, or --no-resume to start afresh here (the earlier run is moved to previous/); trainer.init_from takes weights from a checkpoint into another run", e);
        }
        catch (Exception e)
        {
            throw new PluginFailedException(plugin.Name, tracker.Last?.Path ?? Checkpoint.Latest(options.WorkDir), e);
        }
        finally
        {
            try
            {
                metrics.Flush();
            }
            catch (ToolkitError) when (failed)
            {
                // The run already failed (often for the same reason, a full disk): its error is the one to report.
            }
        }
    }

    /// <summary>Writes this start's <see cref="RunRecord"/>; on a resume, says what changed since the previous start.</summary>
    /// <returns>The previous start and what changed since, on a resume of a work dir that had one; else null.</returns>
    private static (RunRecord Before, IReadOnlyList<string> Changes)? RecordStart(LoadedPlugin plugin, TrainingRunOptions options, torch.Device device)
    {
        var record = RunRecord.Capture(plugin, options.Config, device);
        (RunRecord Before, IReadOnlyList<string> Changes)? previous = null;
        if (options.Resume && RunRecord.Read(options.WorkDir) is { } before)
        {
            var changes = record.ChangesSince(before);
            // A resume continues the same random streams: another seed cannot continue the checkpoints there. Refused
            // before anything is written (run.json keeps the previous start), with everything else that changed.
            if (before.Seed != record.Seed && Checkpoint.Latest(options.WorkDir) is not null)
            {
                throw new ToolkitError(options.WorkDir, string.Create(CultureInfo.InvariantCulture,
                    $"its checkpoints were trained with seed {before.Seed}, this config has seed {record.Seed} (changes since its start {before.Started:yyyy-MM-dd HH:mm} UTC: {string.Join("; ", changes)})"),
                    "use the same seed to resume, another --work-dir for a new run, or --no-resume to start afresh here (the earlier run is moved to previous/)");
            }
            if (changes.Count > 0)
                options.Display?.Message($"changed since the previous start of this work dir ({before.Started:yyyy-MM-dd HH:mm} UTC, {RunRecord.FileName}): {string.Join("; ", changes)}");
            previous = (before, changes);
        }
        try
        {
            record.Write(options.WorkDir);
        }
        catch (IOException e) when (DiskSpace.IsFull(e))
        {
            throw new ToolkitError(Path.Combine(options.WorkDir, RunRecord.FileName), "the disk is full", "free space (or use another --work-dir) and run the same command again", e);
        }
        return previous;
    }

    /// <summary>The folder that earlier runs' files are moved into, one per set-aside (UTC time, to the millisecond).</summary>
    public const string PreviousFolder = "previous";

    /// <summary>Under the work dir's lock: sets an earlier run aside for --no-resume, or rewinds to --resume-from.</summary>
    private static void PrepareWorkDir(TrainingRunOptions options)
    {
        string aside = Path.Combine(options.WorkDir, PreviousFolder, DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture));
        if (options.ResumeFrom is { } which)
        {
            if (!options.Resume)
                throw new ToolkitError("TrainingRunOptions.ResumeFrom", "cannot be combined with Resume = false (no resume)", "pass one: no resume starts afresh, resume-from N resumes from epoch N");
            (string folder, TrainingState state) chosen;
            try
            {
                chosen = Checkpoint.Find(options.WorkDir, which);
            }
            catch (InvalidDataException e)
            {
                throw new ToolkitError("TrainingRunOptions.ResumeFrom", e.Message, "name one of the work dir's checkpoints by epoch (e.g. 3) or folder", e);
            }
            var moved = Checkpoint.RewindTo(options.WorkDir, chosen.folder, Path.Combine(aside, Checkpoint.FolderName));
            options.Display?.Message(moved.Count == 0
                ? $"resuming from {chosen.folder} (epoch {chosen.state.Epoch}), the newest checkpoint"
                : $"resuming from {chosen.folder} (epoch {chosen.state.Epoch}); the later checkpoints ({string.Join(", ", moved)}) were moved to {Path.Combine(aside, Checkpoint.FolderName)}");
            return;
        }
        if (options.Resume)
            return;
        var earlier = Directory.EnumerateFileSystemEntries(options.WorkDir)
            .Where(e => Path.GetFileName(e) is not (WorkDirLock.LockFileName or WorkDirLock.OwnerFileName or PreviousFolder))
            .ToList();
        if (earlier.Count == 0)
            return;
        Directory.CreateDirectory(aside);
        foreach (string entry in earlier)
        {
            string target = Path.Combine(aside, Path.GetFileName(entry));
            if (Directory.Exists(entry))
                Directory.Move(entry, target);
            else
                File.Move(entry, target);
        }
        options.Display?.Message($"--no-resume: the earlier run's files ({string.Join(", ", earlier.Select(Path.GetFileName).Order(StringComparer.Ordinal))}) were moved to {aside}; this run starts afresh");
    }

    private sealed class CheckpointTracker(ITrainingReporter inner) : ITrainingReporter
    {
        public CheckpointInfo? Last { get; private set; }

        public void Iteration(IterationMetrics metrics) => inner.Iteration(metrics);

        public void Epoch(EpochMetrics metrics) => inner.Epoch(metrics);

        public void Checkpoint(CheckpointInfo checkpoint)
        {
            Last = checkpoint;
            inner.Checkpoint(checkpoint);
        }

        public void Message(string text) => inner.Message(text);
    }
}
