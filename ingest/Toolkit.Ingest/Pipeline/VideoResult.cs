using System.Text.Json.Serialization;

namespace Toolkit.Ingest.Pipeline;

/// <summary>How one video ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VideoStatus>))]
public enum VideoStatus
{
    /// <summary>Converted in this run.</summary>
    Done,
    /// <summary>Already complete and up to date; left as it was.</summary>
    Skipped,
    /// <summary>Could not be converted; nothing of it is left in the output.</summary>
    Failed,
}

/// <summary>The outcome of one video, as shown in the report and the summary.</summary>
/// <param name="Source">The video's path.</param>
/// <param name="Output">Its output folder relative to OUT, when it has one.</param>
/// <param name="Status">Done, skipped or failed.</param>
/// <param name="Frames">RGB frames (or decoded frames for flow-only runs).</param>
/// <param name="Flows">Flow pairs (frames − 1 when flow is extracted).</param>
/// <param name="Reason">Why it failed, when it did.</param>
/// <param name="Notes">What the decoder reported or repaired.</param>
/// <param name="Seconds">Time spent on it in this run.</param>
public sealed record VideoResult(string Source, string? Output, VideoStatus Status, int Frames, int Flows, string? Reason, IReadOnlyList<string> Notes, double Seconds);

/// <summary>The outcome of a run.</summary>
public sealed record ExtractSummary(
    IReadOnlyList<VideoResult> Results, long FramesWritten, long FlowsWritten, long BytesWritten, TimeSpan Elapsed, string ManifestPath)
{
    /// <summary>Videos converted in this run.</summary>
    public int Done => Results.Count(r => r.Status == VideoStatus.Done);

    /// <summary>Videos already complete.</summary>
    public int Skipped => Results.Count(r => r.Status == VideoStatus.Skipped);

    /// <summary>Videos that failed.</summary>
    public int Failed => Results.Count(r => r.Status == VideoStatus.Failed);
}
