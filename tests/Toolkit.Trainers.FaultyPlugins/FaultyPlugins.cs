using System.Text.Json;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.TestPlugins;

namespace Toolkit.Trainers.FaultyPlugins;

/// <summary>
/// Returns null where the contract promises a value: from <see cref="Validate"/> when the options hold
/// <c>"null_validate": true</c>, a null task from <see cref="TrainAsync"/> with <c>"null_task": true</c>, else a task whose
/// outcome is null; <see cref="DescribeModels"/> always returns null.
/// </summary>
public sealed class NullReturnsPlugin : ITrainerPlugin
{
    public TrainerDescriptor Descriptor { get; } = new("null-returns", new Version(1, 0), TrainerContract.Version, "test: returns null", "{\"type\":\"object\"}");

    public IReadOnlyList<ModelCard> DescribeModels(CancellationToken cancellationToken) => null!;

    public IReadOnlyList<string> Validate(JsonElement options) => Flag(options, "null_validate") ? null! : [];

    public Task<TrainingOutcome> TrainAsync(TrainingSession session, CancellationToken cancellationToken) =>
        Flag(session.Options, "null_task") ? null! : Task.FromResult<TrainingOutcome>(null!);

    private static bool Flag(JsonElement options, string name) =>
        options.ValueKind == JsonValueKind.Object && options.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}

/// <summary>Its constructor never returns while a file named <c>block-constructor</c> lies beside the assembly.</summary>
public sealed class SlowStartPlugin : ITrainerPlugin
{
    public SlowStartPlugin()
    {
        if (File.Exists(Path.Combine(Path.GetDirectoryName(typeof(SlowStartPlugin).Assembly.Location)!, "block-constructor")))
            Thread.Sleep(Timeout.Infinite);
    }

    public TrainerDescriptor Descriptor { get; } = new("slow-start", new Version(1, 0), TrainerContract.Version, "test: may block while created", "{}");

    public IReadOnlyList<ModelCard> DescribeModels(CancellationToken cancellationToken) => [];

    public IReadOnlyList<string> Validate(JsonElement options) => [];

    public Task<TrainingOutcome> TrainAsync(TrainingSession session, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>Its constructor uses a type from Toolkit.Trainers.TestPlugins.dll, a private dependency shipped beside it.</summary>
public sealed class NeedsDependencyPlugin : ITrainerPlugin
{
    private readonly string _echo;

    public NeedsDependencyPlugin() => _echo = new EchoPlugin().Descriptor.Name;

    public TrainerDescriptor Descriptor => new("needs-dependency", new Version(1, 0), TrainerContract.Version, $"test: wraps {_echo}", "{}");

    public IReadOnlyList<ModelCard> DescribeModels(CancellationToken cancellationToken) => [];

    public IReadOnlyList<string> Validate(JsonElement options) => [];

    public Task<TrainingOutcome> TrainAsync(TrainingSession session, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>Claims the built-in trainer's name.</summary>
public sealed class ImpostorPlugin : ITrainerPlugin
{
    public TrainerDescriptor Descriptor { get; } = new("video-classifier", new Version(0, 1), TrainerContract.Version, "test: not the built-in trainer", "{}");

    public IReadOnlyList<ModelCard> DescribeModels(CancellationToken cancellationToken) => [];

    public IReadOnlyList<string> Validate(JsonElement options) => [];

    public Task<TrainingOutcome> TrainAsync(TrainingSession session, CancellationToken cancellationToken) => throw new NotSupportedException("the impostor must never train");
}
