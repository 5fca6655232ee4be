using static TorchSharp.torch;

namespace Toolkit.Loaders.Pipeline;

/// <summary>A sample left out of a batch under <see cref="CorruptPolicy.SkipAndReport"/>.</summary>
/// <param name="Epoch">Epoch.</param>
/// <param name="Iteration">Iteration of the batch it belonged to.</param>
/// <param name="Sample">Dataset index.</param>
/// <param name="Subject">The file (or folder) the error is about.</param>
/// <param name="Reason">The error message.</param>
public sealed record SkippedSample(int Epoch, int Iteration, int Sample, string Subject, string Reason);

/// <summary>
/// One batch: <see cref="Inputs"/> N × C × T × H × W (N = samples × <see cref="ViewsPerSample"/>, views of a sample
/// adjacent), <see cref="Labels"/> (first label of each sample, int64) and optional soft <see cref="Targets"/>. The
/// consumer owns it: dispose it when done (or keep its tensors and never dispose it). Disposing it hands the memory
/// under <see cref="Inputs"/> back to the loader for a later batch, so no view of <see cref="Inputs"/> may outlive it.
/// </summary>
public sealed class LoaderBatch : IDisposable
{
    private readonly Action? _release;

    internal LoaderBatch(int epoch, int iteration, BatchShape shape, int[] samples, int views, Tensor inputs, Tensor labels, Tensor? targets, IReadOnlyList<SkippedSample> skipped, Action? release = null)
    {
        _release = release;
        Epoch = epoch;
        Iteration = iteration;
        Shape = shape;
        Samples = samples;
        ViewsPerSample = views;
        Inputs = inputs;
        Labels = labels;
        Targets = targets;
        Skipped = skipped;
    }

    /// <summary>Epoch.</summary>
    public int Epoch { get; }

    /// <summary>0-based iteration within the epoch.</summary>
    public int Iteration { get; }

    /// <summary>The planned shape (Samples may be fewer: last batch without drop_last, or skipped samples).</summary>
    public BatchShape Shape { get; }

    /// <summary>Dataset indices of the samples, in batch order.</summary>
    public IReadOnlyList<int> Samples { get; }

    /// <summary>Entries along N per sample (clips × crops in test mode; 1 in training).</summary>
    public int ViewsPerSample { get; }

    /// <summary>N × C × T × H × W, float32 normalized or uint8 (see <see cref="LoaderOptions.Format"/>), on the loader's device.</summary>
    public Tensor Inputs { get; }

    /// <summary>Samples (int64): the first label of each sample.</summary>
    public Tensor Labels { get; }

    /// <summary>Samples × classes float32 soft targets, when <see cref="LoaderOptions.Classes"/> is set.</summary>
    public Tensor? Targets { get; }

    /// <summary>Samples of this batch left out (skip-and-report).</summary>
    public IReadOnlyList<SkippedSample> Skipped { get; }

    /// <summary>
    /// <c>(x − mean) / std</c> per channel of a uint8 batch, computed where the batch is (on the GPU for a CUDA
    /// device). Returns a new float32 tensor the caller owns; the batch is unchanged.
    /// </summary>
    public static Tensor Normalize(Tensor inputs, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        using var scope = NewDisposeScope();
        int c = mean.Count;
        var m = tensor(mean.Select(v => (float)v).ToArray(), ScalarType.Float32, inputs.device).view(1, c, 1, 1, 1);
        var s = tensor(std.Select(v => (float)v).ToArray(), ScalarType.Float32, inputs.device).view(1, c, 1, 1, 1);
        return ((inputs.to(ScalarType.Float32) - m) / s).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
        Targets?.Dispose();
        // The memory under Inputs serves a later batch: a view of Inputs kept past this point would see its data.
        if (Interlocked.Exchange(ref _released, 1) == 0)
            _release?.Invoke();
    }

    private int _released;
}
