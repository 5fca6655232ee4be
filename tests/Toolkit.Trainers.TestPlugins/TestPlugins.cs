using System.Text.Json;
using Toolkit.Trainers.Abstractions;

namespace Toolkit.Trainers.TestPlugins;

/// <summary>Counts batches and reports one iteration per batch; writes a marker "checkpoint" file per epoch.</summary>
public sealed class EchoPlugin : ITrainerPlugin
{
    public TrainerDescriptor Descriptor { get; } = new("echo", new Version(1, 2, 3), TrainerContract.Version, "test: echoes batches", "{\"type\":\"object\"}");

    public IReadOnlyList<ModelCard> DescribeModels(CancellationToken cancellationToken) => [];

    public IReadOnlyList<string> Validate(JsonElement options) =>
        options.ValueKind == JsonValueKind.Object && options.TryGetProperty("bad", out _) ? ["trainer.bad is not an option of echo"] : [];

    public async Task<TrainingOutcome> TrainAsync(TrainingSession session, CancellationToken cancellationToken)
    {
        long step = 0;
        string? last = null;
        EpochMetrics? metrics = null;
        int failEpoch = session.Options.ValueKind == JsonValueKind.Object && session.Options.TryGetProperty("fail_in_epoch", out var f) && f.ValueKind == JsonValueKind.Number
            ? f.GetInt32() : -1;
        for (int epoch = 0; epoch < session.Schedule.Epochs; epoch++)
        {
            int n = 0;
            await foreach (var batch in session.Data.TrainAsync(epoch, cancellationToken).ConfigureAwait(false))
            {
                if (epoch == failEpoch)
                    throw new InvalidOperationException($"echo was told to fail in epoch {epoch}");
                session.Reporter.Iteration(new IterationMetrics(epoch, batch.Iteration, step++, 1.0 / (1 + step), 0.1, 1, batch.Samples, 0, 0));
                n++;
            }
            last = Path.Combine(session.WorkDir, $"echo_epoch_{epoch + 1}");
            File.WriteAllText(last, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            session.Reporter.Checkpoint(new CheckpointInfo(last, epoch + 1, step));
            metrics = new EpochMetrics(epoch, 0.5, 0.5, null, null, null, 0.1, 0, n, 0);
            session.Reporter.Epoch(metrics);
        }
        return new TrainingOutcome(session.Schedule.Epochs, last, metrics);
    }
}

/// <summary>Built against a contract version the host does not speak.</summary>
public sealed class FutureContractPlugin : ITrainerPlugin
{
    public TrainerDescriptor Descriptor { get; } = new("future", new Version(9, 0), TrainerContract.Version + 1, "test: newer contract", "{}");

    public IReadOnlyList<ModelCard> DescribeModels(CancellationToken cancellationToken) => [];

    public IReadOnlyList<string> Validate(JsonElement options) => [];

    public Task<TrainingOutcome> TrainAsync(TrainingSession session, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>Throws while the host creates it.</summary>
public sealed class ThrowingConstructorPlugin : ITrainerPlugin
{
    public ThrowingConstructorPlugin() => throw new InvalidOperationException("cannot find my license file");

    public TrainerDescriptor Descriptor => throw new NotSupportedException();

    public IReadOnlyList<ModelCard> DescribeModels(CancellationToken cancellationToken) => [];

    public IReadOnlyList<string> Validate(JsonElement options) => [];

    public Task<TrainingOutcome> TrainAsync(TrainingSession session, CancellationToken cancellationToken) => throw new NotSupportedException();
}
