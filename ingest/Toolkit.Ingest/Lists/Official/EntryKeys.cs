using System.Globalization;
using Toolkit.Ingest.Output;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>The key an extracted video is found by, for each way annotations match (<see cref="Matching"/>).</summary>
internal static class EntryKeys
{
    /// <summary>The key of <paramref name="entry"/> for <paramref name="matching"/>, or null when it cannot match that way.</summary>
    public static string? Of(ManifestEntry entry, Matching matching, ListFormat format) => matching switch
    {
        // mmaction2's video id is the folder (rawframes) or the file without extension (videos), class/ first at level 2:
        // both are the output name, since extract names folders after the files. A segment has no file of its own.
        Matching.Folder => format == ListFormat.Videos && entry.SegmentStart is not null ? null : entry.Output,
        Matching.Segment => entry.SegmentStart is { } start && entry.SegmentEnd is { } end ? Segment(VideoId(entry), start, end) : null,
        Matching.WholeVideo => entry.SegmentStart is null ? VideoId(entry) : null,
        _ => null,
    };

    /// <summary>A clip's key: the video id and its range, to the microsecond.</summary>
    public static string Segment(string videoId, double start, double end) =>
        string.Create(CultureInfo.InvariantCulture, $"{videoId}@{Math.Round(start, 6):R}-{Math.Round(end, 6):R}");

    /// <summary>The source file's name without extension, and without the <c>v_</c> that ActivityNet downloads prefix.</summary>
    private static string VideoId(ManifestEntry entry)
    {
        string stem = Path.GetFileNameWithoutExtension(entry.SourcePath);
        return stem.StartsWith("v_", StringComparison.Ordinal) ? stem[2..] : stem;
    }
}
