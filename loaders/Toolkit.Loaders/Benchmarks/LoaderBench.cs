using System.Diagnostics;
using System.Globalization;
using Toolkit.Augment;
using Toolkit.Augment.Pipeline;
using Toolkit.Core;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Pipeline;

namespace Toolkit.Loaders.Benchmarks;

/// <summary>Options of <see cref="LoaderBench"/>.</summary>
public sealed record LoaderBenchOptions
{
    /// <summary>A rawframe list (<c>frame_dir total_frames label</c>).</summary>
    public required string List { get; init; }

    /// <summary>Root the list's folders are relative to.</summary>
    public required string Root { get; init; }

    /// <summary>Recipe name (see <see cref="Recipes.ForCrop"/>).</summary>
    public string Recipe { get; init; } = "rrc";

    /// <summary>Frames per clip, T.</summary>
    public int ClipLength { get; init; } = 8;

    /// <summary>Crop side, S.</summary>
    public int Crop { get; init; } = 224;

    /// <summary>Clips per batch.</summary>
    public int Batch { get; init; } = 8;

    /// <summary>Batches timed (after the warm-up).</summary>
    public int Batches { get; init; } = 50;

    /// <summary>Batches run before timing starts (JIT, first file reads, pools).</summary>
    public int Warmup { get; init; } = 5;

    /// <summary>Loader workers.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Start index of the rawframe names.</summary>
    public int StartIndex { get; init; } = 1;

    /// <summary>uint8 batches instead of normalized float.</summary>
    public bool Byte { get; init; }

    /// <summary>Run seed.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// When set, <see cref="List"/> is a video list (<c>path label</c>, as <c>toolkit lists</c> writes
    /// <c>*_videos.txt</c>) decoded on the fly with this reader, instead of a rawframe list.
    /// </summary>
    public VideoBackend? Videos { get; init; }

    /// <summary>Decode at half scale when the recipe first resizes to half the frames' short side (<see cref="Pipeline.LoaderOptions.ReducedScaleDecoding"/>).</summary>
    public bool ReducedScaleDecoding { get; init; } = true;

    /// <summary>Decode at the smallest DCT scale that covers the recipe's first short side (<see cref="Pipeline.LoaderOptions.CoveringScaleDecoding"/>).</summary>
    public bool CoveringScaleDecoding { get; init; }

    /// <summary>Decode only the recipe's first crop of each frame (<see cref="Pipeline.LoaderOptions.CroppedDecoding"/>).</summary>
    public bool CroppedDecoding { get; init; } = true;

    /// <summary>The JPEG decoder of rawframes (TurboJPEG by default; OpenCV to compare).</summary>
    public FrameDecoding Decoding { get; init; } = FrameDecoding.TurboJpeg;
}

/// <summary>What <see cref="LoaderBench"/> measured.</summary>
/// <param name="ClipsPerSecond">Clips delivered per second over the timed batches.</param>
/// <param name="BatchesPerSecond">Batches delivered per second.</param>
/// <param name="PeakRssMb">Peak resident set of the process (VmHWM), MiB.</param>
/// <param name="Seconds">Timed wall-clock seconds.</param>
/// <param name="Batches">Timed batches.</param>
/// <param name="Clips">Timed clips.</param>
public sealed record LoaderBenchResult(double ClipsPerSecond, double BatchesPerSecond, double PeakRssMb, double Seconds, int Batches, int Clips)
{
    /// <summary>The one-line JSON <c>toolkit bench loader --json</c> prints.</summary>
    public string ToJson() => string.Create(CultureInfo.InvariantCulture,
        $"{{\"clips_per_s\": {ClipsPerSecond:F2}, \"batches_per_s\": {BatchesPerSecond:F3}, \"peak_rss_mb\": {PeakRssMb:F1}, \"seconds\": {Seconds:F3}, \"batches\": {Batches}, \"clips\": {Clips}}}");
}

/// <summary>
/// Times the loader on a rawframe list: shuffled epochs back to back (the workers stay up), each batch disposed as a
/// trainer would, until <see cref="LoaderBenchOptions.Warmup"/> + <see cref="LoaderBenchOptions.Batches"/> batches
/// have arrived; only the last <see cref="LoaderBenchOptions.Batches"/> are timed.
/// </summary>
public static class LoaderBench
{
    /// <summary>Runs the benchmark.</summary>
    /// <exception cref="ToolkitError">Bad options, a missing list, or a corrupt frame.</exception>
    public static async Task<LoaderBenchResult> RunAsync(LoaderBenchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Batches < 1)
            throw new ToolkitError("LoaderBenchOptions.Batches", $"is {options.Batches}", "time 1 or more batches");
        if (options.Warmup < 0)
            throw new ToolkitError("LoaderBenchOptions.Warmup", $"is {options.Warmup}", "use 0 or more");
        IVideoDataset dataset = options.Videos is { } backend
            ? VideoDataset.FromList(options.List, options.Root, new VideoOptions { Backend = backend })
            : RawframeDataset.FromList(options.List, options.Root, new RawframeOptions { Kind = ClipKind.Rgb, StartIndex = options.StartIndex, Decoding = options.Decoding });
        if (dataset.Count == 0)
            throw new ToolkitError(options.List, "lists no rawframe folder");
        Recipes.ForCrop(options.Recipe, options.Crop); // unknown recipe: fail before starting threads
        await using var loader = new ClipLoader(dataset, new LoaderOptions
        {
            Seed = options.Seed,
            Shapes = new FixedShapes(options.Batch, options.ClipLength, options.Crop),
            Workers = options.Workers,
            QueueCapacity = 2 * options.Workers,
            ResultCapacity = 2 * options.Workers,
            Recipe = s => Recipes.ForCrop(options.Recipe, s),
            Format = options.Byte ? BatchFormat.Byte : BatchFormat.Float,
            ReducedScaleDecoding = options.ReducedScaleDecoding,
            CroppedDecoding = options.CroppedDecoding,
            CoveringScaleDecoding = options.CoveringScaleDecoding,
            DropLast = true,
        });
        if (loader.IterationsIn(0) == 0)
            throw new ToolkitError(options.List, $"has {dataset.Count} items, fewer than one batch of {options.Batch}");
        int seen = 0, timedClips = 0, total = options.Warmup + options.Batches;
        var clock = new Stopwatch();
        if (options.Warmup == 0)
            clock.Start();
        for (int epoch = 0; seen < total; epoch++)
        {
            await foreach (var batch in loader.EpochAsync(epoch, cancellationToken).ConfigureAwait(false))
            {
                using (batch)
                {
                    seen++;
                    if (seen > options.Warmup)
                        timedClips += batch.Samples.Count;
                }
                if (seen == options.Warmup)
                    clock.Start();
                if (seen == total)
                    break;
            }
        }
        clock.Stop();
        double s = clock.Elapsed.TotalSeconds;
        return new LoaderBenchResult(timedClips / s, options.Batches / s, PeakRssMb(), s, options.Batches, timedClips);
    }

    /// <summary>Peak resident set size of this process in MiB (<see cref="ProcessMemory.Peak"/>).</summary>
    public static double PeakRssMb() => ProcessMemory.Peak() / 1048576.0;
}
