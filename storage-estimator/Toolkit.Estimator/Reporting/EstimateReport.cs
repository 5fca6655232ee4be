using Toolkit.Ingest;

namespace Toolkit.Estimator.Reporting;

/// <summary>Names of the formats in <see cref="EstimateReport.Formats"/>.</summary>
public static class FormatNames
{
    /// <summary>The source video files as they are.</summary>
    public const string Videos = "videos";

    /// <summary>RGB rawframes (<c>img_*.jpg</c>).</summary>
    public const string Rgb = "rgb";

    /// <summary>Flow x + y images (<c>flow_x_*.jpg</c>, <c>flow_y_*.jpg</c>).</summary>
    public const string Flow = "flow";

    /// <summary>RGB and flow together.</summary>
    public const string RgbFlow = "rgb_flow";

    /// <summary>The format that <paramref name="task"/> writes.</summary>
    public static string Of(ExtractTask task) => task switch { ExtractTask.Rgb => Rgb, ExtractTask.Flow => Flow, _ => RgbFlow };
}

/// <summary>Bytes and files of one format.</summary>
/// <param name="Bytes">Total bytes (file contents), or null when nothing supports an estimate (e.g. source video sizes of a preset without a published total).</param>
/// <param name="Files">Total files: exact when every video's decodable frames were counted, else from the mean frames per video.</param>
/// <param name="BytesCi95">95% confidence interval [low, high] of <paramref name="Bytes"/> in measured mode; equal ends when the value is exact; null in model-only mode (a model has no sampling error, only its stated assumptions).</param>
/// <param name="PerVideoMeanBytes">Mean bytes per video, or null.</param>
/// <param name="PerVideoSpreadBytes">Standard deviation of bytes per video, or null when unknown.</param>
/// <param name="Source"><c>measured</c> (sample extracted), <c>exact</c> (file sizes read), <c>calibration</c> (the embedded table), <c>published</c>, or <c>unknown</c>.</param>
/// <param name="AllocatedBytes">Disk space the files take in whole blocks of <see cref="EstimateReport.BlockSize"/> bytes: from the sample's real file sizes in measured mode, from the mean file size otherwise (see <see cref="Allocation"/>); null when <paramref name="Bytes"/> is.</param>
public sealed record FormatEstimate(long? Bytes, long Files, long[]? BytesCi95, double? PerVideoMeanBytes, double? PerVideoSpreadBytes, string Source,
    long? AllocatedBytes = null);

/// <summary>The formats of one split of a preset.</summary>
/// <param name="Name">Split name.</param>
/// <param name="Videos">Videos in it.</param>
/// <param name="Formats">Format name → estimate.</param>
public sealed record SplitEstimate(string Name, int Videos, IReadOnlyDictionary<string, FormatEstimate> Formats);

/// <summary>Mean and standard deviation of a per-video quantity.</summary>
/// <param name="Mean">Mean.</param>
/// <param name="Sd">Standard deviation, or null when unknown.</param>
public sealed record Spread(double Mean, double? Sd);

/// <summary>Per-video statistics of the input.</summary>
/// <param name="DurationSeconds">Duration.</param>
/// <param name="Frames">Frames extracted per video (after <c>--fps</c> resampling).</param>
/// <param name="FramesPerSecond">Source frame rate.</param>
/// <param name="Width">Source width.</param>
/// <param name="Height">Source height.</param>
/// <param name="TargetPixels">Output pixels per image after resizing.</param>
public sealed record PerVideoStats(Spread DurationSeconds, Spread Frames, Spread FramesPerSecond, Spread Width, Spread Height, Spread TargetPixels);

/// <summary>Conversion time of the whole input for one task and algorithm on this machine.</summary>
/// <param name="Task"><c>rgb</c>, <c>flow</c> or <c>both</c>.</param>
/// <param name="Algorithm">Flow algorithm (<c>tvl1</c>, <c>farneback</c>, <c>dis</c>), or null for rgb.</param>
/// <param name="Seconds">Estimated wall time.</param>
/// <param name="FramesPerSecond">Throughput in decoded frames per second it assumes.</param>
/// <param name="Source"><c>measured</c> (timed on the sample in this run) or <c>calibration</c> (the embedded table's machine).</param>
public sealed record TimeEstimate(string Task, string? Algorithm, double Seconds, double FramesPerSecond, string Source);

/// <summary>A video left out of the estimate, with why.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">Why.</param>
public sealed record ExcludedVideo(string Path, string Reason);

/// <summary>What measured mode extracted.</summary>
/// <param name="Requested">--sample.</param>
/// <param name="Used">Videos measured (failed ones replaced by the next in the seeded order).</param>
/// <param name="Seed">--seed.</param>
/// <param name="Videos">The measured videos.</param>
/// <param name="Failed">Sampled videos that failed to extract (replaced, and excluded from the set).</param>
/// <param name="Seconds">Time spent extracting the sample.</param>
/// <param name="Measured">What each measured video wrote, beside what the content probe predicted for it.</param>
/// <param name="SurveySeconds">Time spent on the survey before it: probing every video, counting its frames, the content probe.</param>
public sealed record SampleInfo(int Requested, int Used, int Seed, IReadOnlyList<string> Videos, IReadOnlyList<ExcludedVideo> Failed, double Seconds,
    IReadOnlyList<SampledVideoBytes>? Measured = null, double SurveySeconds = 0);

/// <summary>What one sampled video wrote in measured mode (the bytes-per-frame distribution), and what its content probe predicted.</summary>
/// <param name="Path">The sampled video.</param>
/// <param name="RgbFiles">RGB images written (<c>img_*.jpg</c>).</param>
/// <param name="RgbBytes">Their bytes.</param>
/// <param name="FlowFiles">Flow images written (<c>flow_x_*</c> + <c>flow_y_*</c>).</param>
/// <param name="FlowBytes">Their bytes.</param>
/// <param name="PredictedRgbBytes">RGB bytes the content probe predicted for the whole video (the estimator's auxiliary), or null.</param>
/// <param name="PredictedFlowBytes">Flow bytes the content probe predicted, or null.</param>
public sealed record SampledVideoBytes(string Path, long RgbFiles, long RgbBytes, long FlowFiles, long FlowBytes,
    long? PredictedRgbBytes = null, long? PredictedFlowBytes = null);

/// <summary>The plan compared with the target file system.</summary>
/// <param name="Target">The folder checked.</param>
/// <param name="Format">The format compared (what --task writes).</param>
/// <param name="NeededBytes">Disk space needed: allocated bytes in the target's blocks, at the upper end of the interval when there is one.</param>
/// <param name="NeededFiles">Files (and folders: one per video) needed.</param>
/// <param name="FreeBytes">Bytes available to an unprivileged user.</param>
/// <param name="FreeFiles">Inodes available, or null when the file system has no fixed inode count.</param>
/// <param name="BytesFit">True when the bytes fit.</param>
/// <param name="FilesFit">True when the inodes fit.</param>
public sealed record FreeSpaceCheck(string Target, string Format, long NeededBytes, long NeededFiles, long FreeBytes, long? FreeFiles, bool BytesFit, bool FilesFit);

/// <summary>
/// The result of <c>toolkit estimate</c>; serialized with snake_case names as the stable schema <c>toolkit.estimate/1</c>
/// (documented in docs/estimate.md).
/// </summary>
/// <param name="Schema">Always <c>toolkit.estimate/1</c>.</param>
/// <param name="Mode"><c>model</c> or <c>measured</c>.</param>
/// <param name="Input">Preset name, folder or list file.</param>
/// <param name="Settings">The extract settings the plan is for.</param>
/// <param name="Videos">Videos counted in the estimate (excluded ones not included).</param>
/// <param name="Formats">Whole-input estimate per format (<c>videos</c>, <c>rgb</c>, <c>flow</c>, <c>rgb_flow</c>).</param>
/// <param name="Splits">Per-split estimates (presets), empty otherwise.</param>
/// <param name="PerVideo">Per-video statistics.</param>
/// <param name="Time">Conversion time per task and algorithm.</param>
/// <param name="Sample">What measured mode extracted, or null.</param>
/// <param name="Excluded">Videos left out, with reasons.</param>
/// <param name="Assumptions">Where each number comes from.</param>
/// <param name="FreeSpace">The --target check, or null.</param>
/// <param name="BlockSize">File-system block size the allocated bytes assume (the target's with --target, else 4096).</param>
public sealed record EstimateReport(
    string Schema, string Mode, string Input, ExtractSettings Settings, int Videos,
    IReadOnlyDictionary<string, FormatEstimate> Formats, IReadOnlyList<SplitEstimate> Splits, PerVideoStats PerVideo,
    IReadOnlyList<TimeEstimate> Time, SampleInfo? Sample, IReadOnlyList<ExcludedVideo> Excluded, IReadOnlyList<string> Assumptions,
    FreeSpaceCheck? FreeSpace, int BlockSize = Allocation.DefaultBlockSize)
{
    /// <summary>The schema identifier.</summary>
    public const string SchemaName = "toolkit.estimate/1";
}
