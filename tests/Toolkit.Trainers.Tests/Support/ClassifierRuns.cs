using System.Text.Json;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Hosting;

namespace Toolkit.Trainers.Tests.Support;

/// <summary>Runs the real published <c>video-classifier</c> plugin through the host (PluginCatalog → TrainingRun).</summary>
internal static class ClassifierRuns
{
    /// <summary>A trainer section for a tiny model that trains on a CPU in seconds (lr high and unscaled, no warm-up).</summary>
    public static string Tiny(string model, double width = 0.25, double depth = 0.34, double dropout = 0, double lr = 3e-3, string extra = "") =>
        FormattableString.Invariant($$"""{"model": "{{model}}", "width": {{width}}, "depth": {{depth}}, "dropout": {{dropout}}, "lr": {{lr}}, "linear_scaling": false, "warmup_epochs": 0{{extra}}}""");

    public static async Task<(TrainingOutcome Outcome, MetricsRecorder Metrics)> TrainAsync(string configPath, string workDir, CancellationToken cancellationToken = default, ITrainingReporter? display = null, bool resume = true, string? resumeFrom = null)
    {
        var config = TrainingConfig.Load(configPath);
        using var catalog = PluginCatalog.Load(PluginCatalogTests.Published);
        return await TrainingRun.RunAsync(catalog.Get("video-classifier"), new TrainingRunOptions { Config = config, WorkDir = workDir, Display = display, Resume = resume, ResumeFrom = resumeFrom }, cancellationToken);
    }

    /// <summary>The per-epoch records of <c>WORK_DIR/metrics/metrics.json</c> (what a resumed run continues).</summary>
    public static JsonElement[] SavedEpochs(string workDir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(workDir, "metrics", "metrics.json")));
        return [.. doc.RootElement.GetProperty("epochs").EnumerateArray().Select(e => e.Clone())];
    }

    public static string CheckpointFolder(string workDir, int epoch) => Path.Combine(workDir, "checkpoints", $"epoch_{epoch:0000}");
}

/// <summary>A display that records the messages and runs an action on every checkpoint (a test cancels the run from here).</summary>
internal sealed class OnCheckpoint(Action<CheckpointInfo>? action = null) : ITrainingReporter
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public void Iteration(IterationMetrics metrics)
    {
    }

    public void Epoch(EpochMetrics metrics)
    {
    }

    public void Checkpoint(CheckpointInfo checkpoint) => action?.Invoke(checkpoint);

    public void Message(string text) => _messages.Enqueue(text);
}
