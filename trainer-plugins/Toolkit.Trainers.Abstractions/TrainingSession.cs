using System.Text.Json;
using TorchSharp;

namespace Toolkit.Trainers.Abstractions;

/// <summary>Everything a plugin receives for one run. The host owns every member; the plugin never disposes them.</summary>
public sealed class TrainingSession
{
    /// <summary>Creates a session (the host does this; tests may too).</summary>
    public TrainingSession(JsonElement options, string workDir, torch.Device device, ITrainingData data, ITrainingSchedule schedule, ITrainingReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(workDir);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(reporter);
        Options = options;
        WorkDir = workDir;
        Device = device;
        Data = data;
        Schedule = schedule;
        Reporter = reporter;
    }

    /// <summary>The plugin's section of the run config (validated first with <see cref="ITrainerPlugin.Validate"/>).</summary>
    public JsonElement Options { get; }

    /// <summary>Folder for checkpoints, metrics and plots; exists when the session starts.</summary>
    public string WorkDir { get; }

    /// <summary>Where batches arrive and where the model should live.</summary>
    public torch.Device Device { get; }

    /// <summary>Training and validation batches.</summary>
    public ITrainingData Data { get; }

    /// <summary>Epochs and the per-epoch LR multiplier / batch-norm splits of the data schedule (multigrid or fixed).</summary>
    public ITrainingSchedule Schedule { get; }

    /// <summary>Where metrics, checkpoints and messages go.</summary>
    public ITrainingReporter Reporter { get; }

    /// <summary>Resume from the newest checkpoint in <see cref="WorkDir"/> when there is one (on by default).</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Seed of every random choice the plugin makes (initialization, dropout, mixup).</summary>
    public long Seed { get; init; }
}
