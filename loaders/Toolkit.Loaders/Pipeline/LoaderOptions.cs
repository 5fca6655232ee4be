using Toolkit.Augment.Pipeline;
using Toolkit.Core;
using Toolkit.Loaders.Sampling;
using TorchSharp;

namespace Toolkit.Loaders.Pipeline;

/// <summary>Element type of the batch tensor.</summary>
public enum BatchFormat
{
    /// <summary>float32, normalized on the host by the workers ((x − mean) / std, RGB order).</summary>
    Float,

    /// <summary>uint8 as decoded (RGB order), a quarter of the bytes to copy; normalize on the device with <see cref="LoaderBatch.Normalize"/>.</summary>
    Byte,
}

/// <summary>What a corrupt or missing frame does.</summary>
public enum CorruptPolicy
{
    /// <summary>Stop the epoch with the error naming the file (default).</summary>
    Fail,

    /// <summary>Leave the sample out of its batch (the batch is one smaller) and report it in <see cref="LoaderBatch.Skipped"/> and <see cref="ClipLoader.Skipped"/>.</summary>
    SkipAndReport,
}

/// <summary>Options of <see cref="ClipLoader"/>.</summary>
public sealed record LoaderOptions
{
    /// <summary>Run seed: shuffling and every clip's randomness derive from (seed, epoch, sample index).</summary>
    public long Seed { get; init; }

    /// <summary>Batch size, T and crop per epoch and iteration (default: 8 × 8 frames × 224).</summary>
    public IBatchShapes Shapes { get; init; } = new FixedShapes(8, 8, 224);

    /// <summary>Worker tasks that read, decode and augment clips (≥ 1). They live as long as the loader.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Capacity of the work queue (samples planned ahead of the workers).</summary>
    public int QueueCapacity { get; init; } = 4;

    /// <summary>Capacity of the finished-clip queue between the workers and the collator.</summary>
    public int ResultCapacity { get; init; } = 4;

    /// <summary>Batches collated ahead of the trainer.</summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>Shuffle each epoch (training); off keeps list order (test).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>This process's rank.</summary>
    public int Rank { get; init; }

    /// <summary>Processes that split each epoch.</summary>
    public int WorldSize { get; init; } = 1;

    /// <summary>Give every rank the same number of samples (leaving out N mod world samples per epoch).</summary>
    public bool EvenShards { get; init; }

    /// <summary>Drop a last batch smaller than its shape's batch size.</summary>
    public bool DropLast { get; init; } = true;

    /// <summary>Frame interval of the default sampler.</summary>
    public int FrameInterval { get; init; } = 1;

    /// <summary>
    /// Multigrid long cycle (SlowFast <c>MULTIGRID.LONG_CYCLE_SAMPLING_RATE</c>): when &gt; 0, each clip's frame interval
    /// is drawn uniformly from [<see cref="FrameInterval"/>, this] (inclusive) from the clip's own RNG.
    /// </summary>
    public int LongCycleSamplingRate { get; init; }

    /// <summary>Test mode for the default sampler (evenly spaced clips, no randomness).</summary>
    public bool TestMode { get; init; }

    /// <summary>Clips per sample for the default sampler (test-time views; each clip is its own entry along N).</summary>
    public int Clips { get; init; } = 1;

    /// <summary>Frame sampler for (T, frame interval); null uses <see cref="SampleFrames"/> with the options above.</summary>
    public Func<int, int, IFrameSampler>? Sampler { get; init; }

    /// <summary>The augmentation for crop S (must give S × S clips); default <see cref="Recipes.ForCrop"/>("rrc", S).</summary>
    public Func<int, ClipPipeline>? Recipe { get; init; }

    /// <summary>Float (normalized on the host) or uint8.</summary>
    public BatchFormat Format { get; init; } = BatchFormat.Float;

    /// <summary>Per-channel mean in output order (RGB / flow x, y); null: SPEC defaults of the dataset's kind.</summary>
    public IReadOnlyList<double>? Mean { get; init; }

    /// <summary>Per-channel std in output order; null: SPEC defaults.</summary>
    public IReadOnlyList<double>? Std { get; init; }

    /// <summary>When set, batches carry N × classes soft targets (multi-hot divided by the label count, then smoothed).</summary>
    public int? Classes { get; init; }

    /// <summary>Label smoothing ε of the soft targets: (1 − ε)·y + ε / classes.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>
    /// When a recipe starts with a keep-ratio resize to a short side smaller than the frames' (<c>Resize(-1, N)</c>),
    /// decode JPEG rawframes at the smallest libjpeg M/8 scale that still gives at least N (DCT-domain scaling), then
    /// resize as the recipe says. The output differs from full-size decoding within the error docs/loaders.md states;
    /// off gives the full-size path bit for bit. On by default.
    /// </summary>
    public bool ReducedScaleDecoding { get; init; } = true;

    /// <summary>
    /// With <see cref="ReducedScaleDecoding"/>: decode at the smallest of 1/8, 1/4 and 1/2 that still covers the
    /// recipe's first short side (then resize as the recipe says), not only at an exact half. Faster for multigrid's small
    /// shapes (16 × 79²: Resize(-1, 90) from 256 decodes at 1/2), and further from the full-size path, whose bilinear
    /// resize aliases when it shrinks by 2× or more: docs/loaders.md has the error figures. Off by default.
    /// </summary>
    public bool CoveringScaleDecoding { get; init; }

    /// <summary>
    /// When the recipe's first pixel work is a crop (RandomResizedCrop, RandomCrop, CenterCrop, after a resize that
    /// keeps the frames' size), decode only that crop of each JPEG (libjpeg's cropped decoding: the inverse DCT and
    /// colour conversion run for the crop and a margin of one block, columns beside it are only entropy-decoded, rows
    /// below it not at all). The pixels are the whole-frame path's, bit for bit; off decodes whole frames. On by default.
    /// </summary>
    public bool CroppedDecoding { get; init; } = true;

    /// <summary>Corrupt or missing frames: fail (default) or skip and report.</summary>
    public CorruptPolicy OnCorrupt { get; init; } = CorruptPolicy.Fail;

    /// <summary>Where batches go; null or CPU keeps them in host memory.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>
    /// With a CUDA <see cref="Device"/>: copy the collated batch into pinned (page-locked) host memory, then to the device
    /// with non_blocking. Ignored on CPU. Where libtorch refuses to pin (no CUDA driver), the batches are copied pageable
    /// and blocking instead, after the first refusal without trying again (<c>HostTransfer</c>). Collating straight into
    /// pinned memory would save the host copy; the GPU benchmark (benchmarks/gpu) measures pinned against pageable.
    /// </summary>
    public bool PinMemory { get; init; } = true;

    /// <summary>Checks ranges; the error names the option.</summary>
    public LoaderOptions Validated()
    {
        Check(Workers, nameof(Workers));
        Check(QueueCapacity, nameof(QueueCapacity));
        Check(ResultCapacity, nameof(ResultCapacity));
        Check(PrefetchBatches, nameof(PrefetchBatches));
        Check(FrameInterval, nameof(FrameInterval));
        Check(Clips, nameof(Clips));
        if (LongCycleSamplingRate != 0 && LongCycleSamplingRate < FrameInterval)
            throw new ToolkitError("LoaderOptions.LongCycleSamplingRate", $"is {LongCycleSamplingRate}, below the frame interval {FrameInterval}", "use 0 (off) or a rate ≥ the frame interval, as SlowFast asserts");
        if (LabelSmoothing is < 0 or >= 1)
            throw new ToolkitError("LoaderOptions.LabelSmoothing", $"is {LabelSmoothing}", "use a value in [0, 1)");
        if (Classes is < 1)
            throw new ToolkitError("LoaderOptions.Classes", $"is {Classes}", "use 1 or more classes");
        ArgumentNullException.ThrowIfNull(Shapes);
        RequireMemory(Shapes.ForEpoch(0));
        RequireMemory(Shapes.ForIteration(0, 0));
        return this;
    }

    /// <summary>
    /// The batches in flight (<see cref="PrefetchBatches"/> ready, one being collated, one with the trainer) and the
    /// clips in the workers and the result queue, at 3 channels: refused before any is allocated when they would take
    /// more than half the memory (a clip length of 100000 used to grow to gigabytes in seconds).
    /// </summary>
    private void RequireMemory(BatchShape shape)
    {
        int element = Format == BatchFormat.Float ? 4 : 1;
        double clip = (double)Clips * 3 * shape.Frames * shape.Crop * shape.Crop * element;
        double batch = clip * shape.BatchSize;
        double total = (PrefetchBatches + 2) * batch + (Workers + ResultCapacity) * clip;
        string type = Format == BatchFormat.Float ? "float32" : "uint8";
        MemoryBudget.Require("batch shape", total,
            $"{PrefetchBatches + 2} batches of {shape.BatchSize} × {Clips} view(s) × 3 × {shape.Frames} × {shape.Crop}² {type} (each {MemoryBudget.Format(batch)}) plus {Workers + ResultCapacity} clips in the workers",
            "lower the batch size, clip length (T) or crop, or the prefetched batches");
    }

    private static void Check(int value, string name)
    {
        if (value < 1)
            throw new ToolkitError($"LoaderOptions.{name}", $"is {value}", "use 1 or more");
    }
}
