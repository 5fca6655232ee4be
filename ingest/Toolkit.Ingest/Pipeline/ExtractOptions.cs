using Toolkit.Ingest.Discovery;

namespace Toolkit.Ingest.Pipeline;

/// <summary>Everything one <c>toolkit extract</c> run needs.</summary>
public sealed record ExtractOptions
{
    /// <summary>A folder of videos (searched recursively) or a list file with one path per line.</summary>
    public required string Source { get; init; }

    /// <summary>The output folder.</summary>
    public required string Output { get; init; }

    /// <summary>What decides the bytes written.</summary>
    public ExtractSettings Settings { get; init; } = new();

    /// <summary>Extensions to take (without dots), or null for every file.</summary>
    public IReadOnlyCollection<string>? Extensions { get; init; } = SourceDiscovery.DefaultExtensions.ToArray();

    /// <summary>Threads that encode JPEGs and compute flow (default: one per core).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Videos decoded at once (each an ffmpeg process).</summary>
    public int Decoders { get; init; } = 2;

    /// <summary>
    /// Threads each decoder may use (0: libavcodec decides). The last video of a run gets <see cref="Decoders"/> times
    /// as many: the other decoders are finishing or idle by then.
    /// </summary>
    public int DecoderThreads { get; init; } = 1;

    /// <summary>The part of the input this run converts.</summary>
    public ShardSpec Shard { get; init; } = ShardSpec.Single;

    /// <summary>Skip videos whose output is complete and up to date (default). False redoes every video.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Accept settings that differ from the stored ones (rewriting every video) and a non-empty output folder.</summary>
    public bool Force { get; init; }

    /// <summary>Test hook: called with a video's source path when its frames are all written, just before it is committed.</summary>
    internal Action<string>? BeforeCommit { get; init; }

    /// <summary>Test hook: called with a video's source path and its decoder threads as its decoding starts.</summary>
    internal Action<string, int>? DecoderStarted { get; init; }

    /// <summary>
    /// A segments file (<c>path start end [label]</c> lines, seconds): each segment of a video is extracted into its own
    /// output folder, decoding only that range. Paths are relative to <see cref="Source"/> (a folder). Null: whole videos.
    /// </summary>
    public string? Segments { get; init; }

    /// <summary>
    /// Probing and decoding in process through libav (default), or with ffprobe / ffmpeg processes. Resampling
    /// (<see cref="ExtractSettings.Fps"/>) always runs ffmpeg's fps filter; both give the same bytes.
    /// </summary>
    public Decoding.VideoDecoderKind Decoder { get; init; } = Decoding.VideoDecoderKind.Libav;

    /// <summary>Frames buffered between stages, per worker. Memory is bounded by this times the frame size.</summary>
    public int FramesPerWorker { get; init; } = 4;

    /// <summary>Test hook: the memory a video's frames in flight are judged against (null: <see cref="Toolkit.Core.MemoryBudget.Available"/>).</summary>
    internal long? MemoryLimit { get; init; }

    /// <summary>
    /// About the most memory one video's frames can take in flight: the frames queued and in the workers at the output
    /// size (with flow, its float field and images per worker), and each decoder's ffmpeg buffering some frames at the
    /// source size. A video over half the memory fails alone, with this figure, instead of swapping the machine.
    /// </summary>
    public double FramesInFlightBytes(int sourceWidth, int sourceHeight, FrameSize output)
    {
        ArgumentNullException.ThrowIfNull(output);
        double pixels = (double)output.Width * output.Height;
        double frame = Settings.WritesRgb ? 1.5 * pixels : pixels; // YUV 4:2:0, or gray for flow only
        double queued = (Workers * (FramesPerWorker + 1.0) + Decoders) * frame;
        double perWorker = Settings.WritesRgb ? 3 * pixels : 0; // the BGR image a worker encodes
        if (Settings.WritesFlow)
            perWorker += pixels * (2 * 4 + 2 + 2); // the float field, two quantized images, the previous gray frame
        const double FfmpegFrames = 8; // reference frames and threads' buffers of one decoder, at the source size
        return queued + Workers * perWorker + Decoders * FfmpegFrames * 1.5 * sourceWidth * sourceHeight;
    }

    /// <summary>Checks the run-level options.</summary>
    public ExtractOptions Validate()
    {
        Settings.Validate();
        if (Workers is < 1 or > 256)
            throw new Toolkit.Core.ToolkitError("ExtractOptions.Workers", $"{Workers} is out of range", "Use 1..256 (default: the number of cores)");
        if (Decoders is < 1 or > 64)
            throw new Toolkit.Core.ToolkitError("ExtractOptions.Decoders", $"{Decoders} is out of range", "Use 1..64");
        if (DecoderThreads is < 0 or > 64)
            throw new Toolkit.Core.ToolkitError("ExtractOptions.DecoderThreads", $"{DecoderThreads} is out of range", "Use 0 (ffmpeg decides) or 1..64");
        if (Segments is not null && !File.Exists(Segments))
            throw new Toolkit.Core.ToolkitError(Segments, "no such segments file", "Pass a text file with lines 'path start end [label]' (seconds; paths relative to SRC)");
        if (Segments is not null && !Directory.Exists(Source))
            throw new Toolkit.Core.ToolkitError(Source, "with --segments, SRC must be the folder the segment paths are relative to", "Pass that folder as SRC (absolute paths in the file work with any folder)");
        if (Extensions is { Count: 0 })
            throw new Toolkit.Core.ToolkitError("ExtractOptions.Extensions", "no extension given", "Name at least one, e.g. mp4 and avi, or take every file");
        return this;
    }
}
