namespace Toolkit.Trainers.Abstractions;

/// <summary>
/// A trainer loaded at run time from <c>plugins/&lt;Name&gt;/&lt;Name&gt;.dll</c>. The host creates it with its public
/// parameterless constructor, reads <see cref="Descriptor"/>, and calls <see cref="TrainAsync"/> once per run.
/// </summary>
public interface ITrainerPlugin
{
    /// <summary>Name, version, contract version and options schema.</summary>
    TrainerDescriptor Descriptor { get; }

    /// <summary>
    /// The architectures this trainer can build, with parameter and FLOP counts at the reference input. May take seconds
    /// (it builds each model once); the host calls it only for <c>toolkit models</c>.
    /// </summary>
    IReadOnlyList<ModelCard> DescribeModels(CancellationToken cancellationToken);

    /// <summary>
    /// Checks <paramref name="options"/> (the plugin's section of the run config) without training, so a bad config
    /// fails before any data is read. Returns one line per problem (empty when valid).
    /// </summary>
    IReadOnlyList<string> Validate(System.Text.Json.JsonElement options);

    /// <summary>
    /// Trains (and evaluates) until the schedule ends or <paramref name="cancellationToken"/> fires. Checkpoints are
    /// written atomically, so whatever this method throws, the last reported checkpoint stays intact and loadable.
    /// </summary>
    Task<TrainingOutcome> TrainAsync(TrainingSession session, CancellationToken cancellationToken);
}
