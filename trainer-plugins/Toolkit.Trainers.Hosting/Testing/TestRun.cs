using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Toolkit.Core;
using Toolkit.Loaders.Datasets;
using Toolkit.Trainers.Abstractions;
using Checkpoints = Toolkit.Trainers.Training.Checkpoint;
using TorchSharp;

namespace Toolkit.Trainers.Hosting.Testing;

/// <summary>A test that has no video to score: an empty list, or every video failed to decode.</summary>
public sealed class NoTestVideosError : ToolkitError
{
    /// <summary>Creates the error.</summary>
    public NoTestVideosError(string subject, string reason, string hint, bool allFailed) : base(subject, reason, hint) => AllFailed = allFailed;

    /// <summary>True when the list had videos and none could be decoded; false for an empty list.</summary>
    public bool AllFailed { get; }
}

/// <summary>What a test runs on: the checkpoint, the config its model and data come from, and where results go by default.</summary>
/// <param name="Checkpoint">A checkpoint folder, weights folder or weights file, as the plugin reads it.</param>
/// <param name="Config">The run config.</param>
/// <param name="ConfigSource">Where the config came from (a file, or a work dir's run.json).</param>
/// <param name="WorkDir">The training work dir the checkpoint belongs to, or null.</param>
public sealed record TestTarget(string Checkpoint, TrainingConfig Config, string ConfigSource, string? WorkDir)
{
    /// <summary>
    /// Resolves <paramref name="checkpoint"/>: a work dir (its checkpoint <paramref name="which"/> names: <c>best</c>, the
    /// default, falling back to the newest when no checkpoint recorded a validation top-1; <c>latest</c>; or an epoch),
    /// a checkpoint folder (<c>epoch_NNNN</c>), or any weights folder or file. The config is <paramref name="config"/>
    /// when given, else the one the work dir's <c>run.json</c> recorded.
    /// </summary>
    /// <exception cref="ToolkitError">No config to be found, a bad config, or no such checkpoint in the work dir.</exception>
    /// <exception cref="CheckpointException">The path does not exist.</exception>
    public static TestTarget Resolve(string checkpoint, string? which, string? config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpoint);
        string path = Path.GetFullPath(checkpoint);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new CheckpointException(CheckpointProblem.UnknownFormat, $"{checkpoint}: no such file or folder; pass a training work dir, a checkpoint folder (epoch_NNNN), a weights folder or a .pth / .safetensors file");
        string? workDir = null;
        if (Directory.Exists(Path.Combine(path, Checkpoints.FolderName)))
        {
            workDir = path;
            path = PickIn(workDir, which ?? "best");
        }
        else
        {
            if (which is not null)
                throw new ToolkitError("TestTarget.Which", $"picks a checkpoint of a work dir, and {checkpoint} is not one", "pass the work dir itself, or pick no checkpoint");
            string? parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path));
            if (parent is not null && Path.GetFileName(parent) == Checkpoints.FolderName && File.Exists(Path.Combine(Path.GetDirectoryName(parent)!, RunRecord.FileName)))
                workDir = Path.GetDirectoryName(parent);
        }

        if (config is not null)
            return new TestTarget(path, TrainingConfig.Load(config), config, workDir);
        if (workDir is not null && RunRecord.Read(workDir) is { } record)
        {
            string source = Path.Combine(workDir, RunRecord.FileName);
            TrainingConfig? recorded;
            try
            {
                recorded = JsonSerializer.Deserialize<TrainingConfig>(record.Config.GetRawText(), TrainingConfig.Json);
            }
            catch (JsonException e)
            {
                throw new ToolkitError(source, $"its config cannot be read ({e.Message})", "pass the run's config with --config");
            }
            return new TestTarget(path, (recorded ?? throw new ToolkitError(source, "records no config", "pass --config")).Validated(source), source, workDir);
        }
        throw new ToolkitError(checkpoint, workDir is null ? "is not in a training work dir, so no config describes its model and test data" : $"its work dir {workDir} has no readable {RunRecord.FileName}",
            "pass --config FILE (the config it was trained with, or one whose trainer section describes the model and whose data/test sections name the test list)");
    }

    private static string PickIn(string workDir, string which)
    {
        if (which == "best")
        {
            if (Checkpoints.Best(workDir) is { } best)
                return best;
            which = "latest";
        }
        if (which == "latest")
        {
            try
            {
                Checkpoints.ReadState(workDir); // verifies the newest, names it in the error otherwise
            }
            catch (InvalidDataException e)
            {
                throw new CheckpointException(CheckpointProblem.UnknownFormat, e.Message, e);
            }
            return Checkpoints.Latest(workDir) ?? workDir;
        }
        try
        {
            return Checkpoints.Find(workDir, which).Folder;
        }
        catch (InvalidDataException e)
        {
            throw new ToolkitError("TestTarget.Which", e.Message, "use best, latest, or an epoch number of the work dir's checkpoints", e);
        }
    }

    /// <summary>The folder results go to when none is given: <c>WORK_DIR/test/&lt;checkpoint&gt;</c>, or null outside a work dir.</summary>
    public string? DefaultOutput => WorkDir is null ? null : Path.Combine(WorkDir, "test", Path.GetFileName(Path.TrimEndingDirectorySeparator(Checkpoint)));
}

/// <summary>What <see cref="TestRun.RunAsync"/> needs besides the plugin.</summary>
public sealed record TestRunOptions
{
    /// <summary>Checkpoint and config.</summary>
    public required TestTarget Target { get; init; }

    /// <summary>The resolved views.</summary>
    public required TestProtocol Protocol { get; init; }

    /// <summary>The test list (null: the config's <c>test.list</c>, else <c>data.val</c>).</summary>
    public string? List { get; init; }

    /// <summary>Results folder: replaced as a whole when the test completes, untouched when it fails.</summary>
    public required string Output { get; init; }

    /// <summary>Decoding workers (null: the config's <c>data.workers</c>).</summary>
    public int? Workers { get; init; }

    /// <summary>Called once the checkpoint is loaded and the test set is known.</summary>
    public Action<TestStart>? OnStart { get; init; }

    /// <summary>Videos done so far (scored or failed), after every forward pass.</summary>
    public IProgress<TestProgress>? Progress { get; init; }
}

/// <summary>What a test is about to do.</summary>
/// <param name="Model">The scorer's description of what it loaded.</param>
/// <param name="List">The test list.</param>
/// <param name="Videos">Videos in it.</param>
/// <param name="Protocol">The views.</param>
/// <param name="Device">Where the model runs.</param>
/// <param name="DeviceType">Its kind (CPU, CUDA).</param>
public sealed record TestStart(string Model, string List, int Videos, TestProtocol Protocol, string Device, TorchSharp.DeviceType DeviceType);

/// <summary>Progress of a test.</summary>
/// <param name="Done">Videos scored or failed.</param>
/// <param name="Total">Videos in the list.</param>
/// <param name="Failed">Videos that could not be decoded so far.</param>
public sealed record TestProgress(int Done, int Total, int Failed);

/// <summary>A failed video.</summary>
/// <param name="Video">As the list names it.</param>
/// <param name="Reason">Why it could not be decoded.</param>
public sealed record TestFailure(string Video, string Reason);

/// <summary>The outcome of a test (also written as <c>summary.json</c>).</summary>
public sealed record TestSummary
{
    /// <summary>The checkpoint tested.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>What the plugin loaded.</summary>
    public required string Model { get; init; }

    /// <summary>Where the config came from.</summary>
    public required string Config { get; init; }

    /// <summary>The test list.</summary>
    public required string List { get; init; }

    /// <summary>The views, in words.</summary>
    public required string Protocol { get; init; }

    /// <summary>Views per video.</summary>
    public required int ViewsPerVideo { get; init; }

    /// <summary>Most clips in one forward pass.</summary>
    public required int ClipsPerForward { get; init; }

    /// <summary>How views are combined: prob or score.</summary>
    public required string Average { get; init; }

    /// <summary>Device.</summary>
    public required string Device { get; init; }

    /// <summary>Videos in the list.</summary>
    public required int Videos { get; init; }

    /// <summary>Videos scored (the metrics' denominator).</summary>
    public required int Evaluated { get; init; }

    /// <summary>Videos that could not be decoded: left out of every metric.</summary>
    public required IReadOnlyList<TestFailure> Failed { get; init; }

    /// <summary>Top-1 accuracy.</summary>
    public required double Top1 { get; init; }

    /// <summary>Top-5 accuracy (null with 5 classes or fewer).</summary>
    public required double? Top5 { get; init; }

    /// <summary>mmaction2's mean class accuracy.</summary>
    public required double MeanClassAccuracy { get; init; }

    /// <summary>Wall time of the test (loading excluded).</summary>
    public required double Seconds { get; init; }

    /// <summary>Time in the model's forward passes.</summary>
    public required double ForwardSeconds { get; init; }

    /// <summary>Views scored per second of wall time.</summary>
    public required double ViewsPerSecond { get; init; }

    /// <summary>The results folder.</summary>
    public required string Output { get; init; }
}

/// <summary>
/// <c>toolkit test</c>: a checkpoint scored on a test list with a multi-view protocol through the plugin's
/// <see cref="IEvaluatingPlugin"/>. Results (<c>predictions.tsv</c>, <c>per_class.csv</c>, <c>confusion.csv</c>,
/// <c>confusion.png</c>, <c>failures.tsv</c> when some video failed, <c>summary.json</c>) are written into a hidden
/// sibling folder that replaces the output folder only once the test is complete: a failed or cancelled test leaves
/// the previous results (or nothing), never a part.
/// </summary>
public static class TestRun
{
    /// <summary>Predictions file name.</summary>
    public const string PredictionsFile = "predictions.tsv";

    /// <summary>Summary file name.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>Runs the test.</summary>
    /// <exception cref="ToolkitError">Bad config, list, options or output folder; <see cref="NoTestVideosError"/> when nothing can be scored.</exception>
    /// <exception cref="CheckpointException">The checkpoint cannot be used (its problem says why).</exception>
    /// <exception cref="PluginFailedException">The plugin threw anything else.</exception>
    public static async Task<TestSummary> RunAsync(LoadedPlugin plugin, TestRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(options);
        var config = options.Target.Config;
        var protocol = options.Protocol;
        var trainer = CheckPlugin(plugin, options.Target);
        var data = config.Data;
        var (classes, names) = LoaderTrainingData.ReadClasses(data);
        string list = options.List ?? config.Test.List ?? data.Val
            ?? throw new ToolkitError(options.Target.ConfigSource, "names no test list (test.list or data.val)", "pass --list FILE, a list written by toolkit lists");
        var dataset = LoaderTrainingData.OpenDataset(data, list, classes);
        if (dataset.Count == 0)
            throw new NoTestVideosError(list, "lists no videos", "point --list (or test.list) at a list with videos; toolkit lists writes them", allFailed: false);
        var device = TrainingRun.ResolveDevice(config.Device);
        string output = Path.GetFullPath(options.Output);
        string parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(output)) ?? ".";
        if (File.Exists(output))
            throw new ToolkitError(output, "is a file, not a folder", "pass --out a folder (it is created, or replaced when the test completes)");

        // The output is staged first, so an unwritable --out (read-only, full, no rights) fails before minutes of scoring.
        StagedFolder staged;
        try
        {
            staged = StagedFolder.Create(output);
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            throw WriteFailure.Of(e, output, "nothing was written");
        }
        using (staged)
        {
            try
            {
                using var scorer = OpenScorer(plugin, options.Target, trainer, protocol, classes, device);
                options.OnStart?.Invoke(new TestStart(scorer.Description, list, dataset.Count, protocol, device.ToString(), device.type));
                var summary = await ScoreIntoAsync(staged.Path, dataset, data.Root, list, scorer, device, classes, names, options, cancellationToken).ConfigureAwait(false);
                staged.Commit();
                return summary with { Output = output };
            }
            catch (IOException e) when (DiskSpace.IsFull(e) || WriteFailure.IsReadOnly(e))
            {
                throw WriteFailure.Of(e, output, "run the test again; nothing was written");
            }
        }
    }

    /// <summary>The plugin's options section once the plugin has accepted it; the plugin must be able to test.</summary>
    internal static JsonElement CheckPlugin(LoadedPlugin plugin, TestTarget target)
    {
        if (plugin.Instance is not IEvaluatingPlugin)
            throw new ToolkitError($"plugin '{plugin.Name}'", "cannot test checkpoints: it does not implement IEvaluatingPlugin", "test with a plugin that does (toolkit plugins lists them), e.g. video-classifier");
        var config = target.Config;
        var trainer = config.Trainer.ValueKind == JsonValueKind.Undefined ? JsonDocument.Parse("{}").RootElement : config.Trainer;
        IReadOnlyList<string> problems;
        try
        {
            problems = plugin.Instance.Validate(trainer) ?? [];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PluginFailedException(plugin.Name, null, e);
        }
        if (problems.Count > 0)
            throw PluginOptionsError.Of(plugin.Name, config, target.ConfigSource, problems);
        return trainer;
    }

    /// <summary>The plugin's scorer for the target's checkpoint; anything but a <see cref="CheckpointException"/> is the plugin's failure.</summary>
    internal static IClipScorer OpenScorer(LoadedPlugin plugin, TestTarget target, JsonElement trainer, TestProtocol protocol, int classes, TorchSharp.torch.Device device)
    {
        try
        {
            return ((IEvaluatingPlugin)plugin.Instance).OpenScorer(new ScorerRequest(trainer, target.Checkpoint, classes, device, [3, protocol.ClipLen, protocol.Crop, protocol.Crop]))
                ?? throw new InvalidOperationException("OpenScorer returned null");
        }
        catch (Exception e) when (e is not (CheckpointException or OperationCanceledException or ToolkitError))
        {
            throw PluginFailedException.WhileTesting(plugin.Name, e);
        }
    }

    private static async Task<TestSummary> ScoreIntoAsync(string staging, IVideoDataset dataset, string root, string list, IClipScorer scorer, TorchSharp.torch.Device device,
        int classes, IReadOnlyList<string> names, TestRunOptions options, CancellationToken cancellationToken)
    {
        var protocol = options.Protocol;
        var tally = new TestTally(classes, names);
        var failures = new List<TestFailure>();
        var clock = Stopwatch.StartNew();
        double forward = 0;
        long views = 0;
        int done = 0;
        string Id(int index) => VideoId(root, dataset[index].Path);
        await using (var predictions = new StreamWriter(Path.Combine(staging, PredictionsFile), false, new UTF8Encoding(false)))
        {
            var header = new StringBuilder("video\tlabel");
            for (int k = 1; k <= tally.K; k++)
                header.Append(CultureInfo.InvariantCulture, $"\tpred_{k}\tscore_{k}");
            await predictions.WriteLineAsync(header.ToString()).ConfigureAwait(false);
            int workers = options.Workers ?? options.Target.Config.Data.Workers;
            await foreach (var batch in ViewScoring.RunAsync(dataset, protocol, scorer, device, workers, cancellationToken).ConfigureAwait(false))
            {
                forward += batch.ForwardSeconds;
                views += batch.Views;
                var line = new StringBuilder();
                foreach (var video in batch.Videos)
                {
                    int label = video.Labels[0];
                    var ranked = TestTally.Rank(video.Scores, tally.K);
                    tally.Add(label, ranked);
                    line.Clear().Append(Id(video.Index)).Append('\t').Append(label.ToString(CultureInfo.InvariantCulture));
                    foreach (int c in ranked)
                        line.Append(CultureInfo.InvariantCulture, $"\t{c}\t{video.Scores[c]:F6}");
                    await predictions.WriteLineAsync(line.ToString()).ConfigureAwait(false);
                }
                failures.AddRange(batch.Failed.Select(f => new TestFailure(Id(f.Sample), ViewScoring.Why(f))));
                done += batch.Videos.Count + batch.Failed.Count;
                options.Progress?.Report(new TestProgress(done, dataset.Count, failures.Count));
            }
            await predictions.FlushAsync(cancellationToken).ConfigureAwait(false);
            predictions.BaseStream.Flush();
        }
        double seconds = clock.Elapsed.TotalSeconds;
        if (tally.Videos == 0)
        {
            throw new NoTestVideosError(list, string.Create(CultureInfo.InvariantCulture, $"none of its {dataset.Count} videos could be decoded (first: {failures.FirstOrDefault()?.Video}: {failures.FirstOrDefault()?.Reason})"),
                "check the data root and the files (toolkit doctor, ffprobe); nothing was written", allFailed: true);
        }

        await File.WriteAllTextAsync(Path.Combine(staging, "per_class.csv"), tally.PerClassCsv(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(staging, "confusion.csv"), tally.ConfusionCsv(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.Combine(staging, "confusion.png"),
            tally.ConfusionPng(string.Create(CultureInfo.InvariantCulture, $"Confusion, {tally.Videos} videos, top-1 {100 * tally.Top1:F1}% ({protocol.Clips}×{(int)protocol.Crops} views)")), cancellationToken).ConfigureAwait(false);
        if (failures.Count > 0)
        {
            await File.WriteAllLinesAsync(Path.Combine(staging, "failures.tsv"),
                ["video\treason", .. failures.Select(f => $"{f.Video}\t{f.Reason.ReplaceLineEndings(" ")}")], cancellationToken).ConfigureAwait(false);
        }
        var summary = new TestSummary
        {
            Checkpoint = options.Target.Checkpoint,
            Model = scorer.Description,
            Config = options.Target.ConfigSource,
            List = list,
            Protocol = protocol.ToString(),
            ViewsPerVideo = protocol.ViewsPerVideo,
            ClipsPerForward = protocol.ClipsPerForwardOn(device.type),
            Average = protocol.Average.ToString().ToLowerInvariant(),
            Device = device.ToString(),
            Videos = dataset.Count,
            Evaluated = tally.Videos,
            Failed = failures,
            Top1 = tally.Top1,
            Top5 = tally.Top5,
            MeanClassAccuracy = tally.MeanClassAccuracy,
            Seconds = seconds,
            ForwardSeconds = forward,
            ViewsPerSecond = views / Math.Max(seconds, 1e-9),
            Output = Path.GetFullPath(options.Output),
        };
        await File.WriteAllTextAsync(Path.Combine(staging, SummaryFile), JsonSerializer.Serialize(summary, Json), cancellationToken).ConfigureAwait(false);
        return summary;
    }

    /// <summary>The video's name as its list gives it: relative to the data root when it lies under it.</summary>
    internal static string VideoId(string root, string path)
    {
        string relative = Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    /// <summary>The summary as written (snake_case).</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "2 clips × 3 crops", not \u00D7
    };
}
