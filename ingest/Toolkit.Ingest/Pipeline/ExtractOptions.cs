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

    /// <summary>Threads each ffmpeg decoder may use.</summary>
    public int DecoderThreads { get; init; } = 1;

    /// <summary>The part of the input this run converts.</summary>
    public ShardSpec Shard { get; init; } = ShardSpec.Single;

    /// <summary>Skip videos whose output is complete and up to date (default). False redoes every video.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Accept settings that differ from the stored ones (rewriting every video) and a non-empty output folder.</summary>
    public bool Force { get; init; }

    /// <summary>Test hook: called with a video's source path when its frames are all written, just before it is committed.</summary>
    internal Action<string>? BeforeCommit { get; init; }

    /// <summary>Frames buffered between stages, per worker. Memory is bounded by this times the frame size.</summary>
    public int FramesPerWorker { get; init; } = 4;

    /// <summary>Checks the run-level options.</summary>
    public ExtractOptions Validate()
    {
        Settings.Validate();
        if (Workers is < 1 or > 256)
            throw new Toolkit.Core.ToolkitError("--workers", $"{Workers} is out of range", "Use 1..256 (default: the number of cores)");
        if (Decoders is < 1 or > 64)
            throw new Toolkit.Core.ToolkitError("--decoders", $"{Decoders} is out of range", "Use 1..64");
        if (DecoderThreads is < 0 or > 64)
            throw new Toolkit.Core.ToolkitError("--decoder-threads", $"{DecoderThreads} is out of range", "Use 0 (ffmpeg decides) or 1..64");
        if (Extensions is { Count: 0 })
            throw new Toolkit.Core.ToolkitError("--ext", "no extension given", "Name at least one, e.g. --ext mp4 --ext avi, or --ext any");
        return this;
    }
}
