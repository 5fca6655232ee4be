using System.Reflection;
using System.Text.Json;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Models;

namespace Toolkit.Trainers.VideoClassifier;

/// <summary>
/// <c>video-classifier</c>: trains the zoo's architectures (3-D CNNs on clips, DeiT on frames with per-clip averaging)
/// on the host's batches with the SPEC's presets. The shape a third-party trainer copies: a public class with a
/// parameterless constructor, a descriptor, options validated before any data is read.
/// </summary>
public sealed class VideoClassifierPlugin : ITrainerPlugin, IEvaluatingPlugin
{
    /// <summary>The name users pass to <c>--plugin</c>.</summary>
    public const string PluginName = "video-classifier";

    /// <inheritdoc />
    public TrainerDescriptor Descriptor { get; } = new(
        PluginName,
        typeof(VideoClassifierPlugin).Assembly.GetName().Version ?? new Version(0, 1),
        TrainerContract.Version,
        "Video classification: I3D, SlowOnly, X3D, SlowFast, MViT, DeiT; AdamW/SGD presets, cosine/step/multigrid LR, mixup targets, checkpoints.",
        VideoClassifierOptions.Schema);

    /// <inheritdoc />
    public IReadOnlyList<ModelCard> DescribeModels(CancellationToken cancellationToken)
    {
        var cards = new List<ModelCard>();
        foreach (var entry in ModelZoo.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int classes = entry.IsImageModel ? 1000 : 400;
            var size = ModelZoo.Measure(entry, new ModelOptions { Classes = classes });
            cards.Add(new ModelCard(entry.Name, string.Join('x', size.Input), classes, size.BackboneParams, size.BackboneFlops / 1e9, size.BackboneEvalFlops / 1e9,
                size.Params, size.Flops / 1e9, size.EvalFlops / 1e9, entry.Definition));
        }
        return cards;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(JsonElement options) => VideoClassifierOptions.Parse(options).Problems;

    /// <inheritdoc />
    public Task<TrainingOutcome> TrainAsync(TrainingSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (options, problems) = VideoClassifierOptions.Parse(session.Options);
        if (options is null)
            throw new ArgumentException($"invalid trainer options: {string.Join("; ", problems)}", nameof(session));
        return new ClassifierTraining(session, options).RunAsync(cancellationToken);
    }

    /// <inheritdoc />
    public IClipScorer OpenScorer(ScorerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (options, problems) = VideoClassifierOptions.Parse(request.Options);
        if (options is null)
            throw new ArgumentException($"invalid trainer options: {string.Join("; ", problems)}", nameof(request));
        return ClassifierScorer.Open(request, options);
    }
}
