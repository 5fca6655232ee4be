using System.Text.Json.Serialization;

namespace Toolkit.Ingest.Output;

/// <summary>
/// One line of a manifest (<c>OUT/.toolkit/manifest-SHARD.jsonl</c>): a video whose output folder is complete.
/// A folder without a matching entry is incomplete and is redone by the next run.
/// </summary>
public sealed record ManifestEntry
{
    /// <summary>Output folder relative to OUT, '/'-separated (<c>class/stem</c> or <c>stem</c>).</summary>
    [JsonPropertyName("output")] public required string Output { get; init; }

    /// <summary>The video's key: its path relative to the source folder, or as written in the list file.</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }

    /// <summary>Absolute path of the source at conversion time.</summary>
    [JsonPropertyName("source_path")] public required string SourcePath { get; init; }

    /// <summary>Source size in bytes at conversion time.</summary>
    [JsonPropertyName("source_size")] public long SourceSize { get; init; }

    /// <summary>Source modification time (Unix milliseconds, UTC) at conversion time.</summary>
    [JsonPropertyName("source_mtime")] public long SourceMtime { get; init; }

    /// <summary>Source inode at conversion time (null in entries written before it was recorded, or where unknown).</summary>
    [JsonPropertyName("source_inode")] public ulong? SourceInode { get; init; }

    /// <summary>Class folder name at level 2, else null.</summary>
    [JsonPropertyName("class")] public string? Class { get; init; }

    /// <summary>With <c>--segments</c>: the segment's first second (inclusive) in the source; null for a whole video.</summary>
    [JsonPropertyName("segment_start")] public double? SegmentStart { get; init; }

    /// <summary>With <c>--segments</c>: the segment's end (exclusive, seconds); null for a whole video.</summary>
    [JsonPropertyName("segment_end")] public double? SegmentEnd { get; init; }

    /// <summary>RGB frames written (0 when only flow was extracted) — the frame count mmaction2 lists call total_frames.</summary>
    [JsonPropertyName("frames")] public int Frames { get; init; }

    /// <summary>Decoded frames (equals <see cref="Frames"/> when RGB is written).</summary>
    [JsonPropertyName("decoded_frames")] public int DecodedFrames { get; init; }

    /// <summary>Flow pairs written: decoded frames − 1 (flow i is computed from frames i and i+1), or 0 without flow.</summary>
    [JsonPropertyName("flows")] public int Flows { get; init; }

    /// <summary>Output frame width.</summary>
    [JsonPropertyName("width")] public int Width { get; init; }

    /// <summary>Output frame height.</summary>
    [JsonPropertyName("height")] public int Height { get; init; }

    /// <summary>Source frame rate (or the --fps target).</summary>
    [JsonPropertyName("fps")] public double Fps { get; init; }

    /// <summary>Bytes written for this video.</summary>
    [JsonPropertyName("bytes")] public long Bytes { get; init; }

    /// <summary>Hash of the <see cref="ExtractSettings"/> the folder was written with.</summary>
    [JsonPropertyName("settings")] public required string Settings { get; init; }

    /// <summary>What the decoder reported or repaired (broken index, missing timestamps, frame-count mismatch).</summary>
    [JsonPropertyName("notes")] public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>When the folder was committed (UTC, ISO 8601).</summary>
    [JsonPropertyName("completed")] public DateTimeOffset Completed { get; init; }

    /// <summary>
    /// A tombstone: the output's earlier entries (completed before this one) no longer hold, because its folder is being
    /// removed to be redone. Written, flushed, before the folder is deleted; a later complete entry supersedes it.
    /// </summary>
    [JsonPropertyName("retracted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Retracted { get; init; }
}
