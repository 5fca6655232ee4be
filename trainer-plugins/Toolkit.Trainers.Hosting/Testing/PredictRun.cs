using System.Runtime.CompilerServices;
using Toolkit.Core;
using Toolkit.Loaders.Datasets;

namespace Toolkit.Trainers.Hosting.Testing;

/// <summary>A class and its score.</summary>
/// <param name="Class">Class index.</param>
/// <param name="Name">Its name (the label map's line), or the index.</param>
/// <param name="Score">Mean probability over the views (prob averaging) or mean logit (score averaging).</param>
public sealed record ClassScore(int Class, string Name, float Score);

/// <summary>One video's prediction, or why it has none.</summary>
/// <param name="Video">The path as given.</param>
/// <param name="Top">The highest-scoring classes, best first; empty when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the video could not be decoded, or null.</param>
public sealed record VideoPrediction(string Video, IReadOnlyList<ClassScore> Top, string? Error);

/// <summary>
/// <c>toolkit predict</c>: the top classes of unlabelled videos, decoded in process by the same decoder as extract and
/// cut into the config's test views, combined as <c>toolkit test</c> combines them. Streamed in the order given.
/// </summary>
public static class PredictRun
{
    /// <summary>What <see cref="RunAsync"/> loaded, for the caller to print.</summary>
    /// <param name="Model">The scorer's description.</param>
    /// <param name="Protocol">The views.</param>
    /// <param name="Device">Where the model runs.</param>
    public sealed record Loaded(string Model, TestProtocol Protocol, string Device);

    /// <summary>Predicts <paramref name="videos"/> (video files) with <paramref name="target"/>'s checkpoint.</summary>
    /// <exception cref="ToolkitError">Bad config or label map; no videos.</exception>
    /// <exception cref="Toolkit.Trainers.Abstractions.CheckpointException">The checkpoint cannot be used.</exception>
    /// <exception cref="PluginFailedException">The plugin threw anything else.</exception>
    public static async IAsyncEnumerable<VideoPrediction> RunAsync(LoadedPlugin plugin, TestTarget target, TestProtocol protocol, IReadOnlyList<string> videos, int top,
        int? workers, Action<Loaded>? onStart, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (videos.Count == 0)
            throw new ToolkitError("predict", "no videos to predict", "pass video files, or folders that hold some");
        var trainer = TestRun.CheckPlugin(plugin, target);
        var (classes, names) = LoaderTrainingData.ReadClasses(target.Config.Data);
        var device = TrainingRun.ResolveDevice(target.Config.Device);
        using var scorer = TestRun.OpenScorer(plugin, target, trainer, protocol, classes, device);
        onStart?.Invoke(new Loaded(scorer.Description, protocol, device.ToString()));
        // Unlabelled: every item carries class 0 only because the loader's batches carry a label; it is never read.
        var dataset = new VideoDataset([.. videos.Select((v, i) => new DatasetItem(Path.GetFullPath(v), -1, [0], i + 1))]);
        string Name(int c) => c < names.Count ? names[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await foreach (var batch in ViewScoring.RunAsync(dataset, protocol with { Batch = Math.Min(protocol.Batch, videos.Count) }, scorer, device, workers ?? target.Config.Data.Workers, cancellationToken).ConfigureAwait(false))
        {
            // Scored and failed videos of a batch, back in the order given.
            var ready = batch.Videos.Select(v => (v.Index, Prediction: new VideoPrediction(videos[v.Index],
                    [.. TestTally.Rank(v.Scores, top).Select(c => new ClassScore(c, Name(c), v.Scores[c]))], null)))
                .Concat(batch.Failed.Select(f => (Index: f.Sample, Prediction: new VideoPrediction(videos[f.Sample], [], ViewScoring.Why(f)))))
                .OrderBy(p => p.Index);
            foreach (var (_, prediction) in ready)
                yield return prediction;
        }
    }
}
