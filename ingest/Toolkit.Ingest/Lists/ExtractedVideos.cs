using Toolkit.Core;
using Toolkit.Ingest.Output;

namespace Toolkit.Ingest.Lists;

/// <summary>
/// The videos an extract output holds, as its manifests record them (all shards merged): the only catalogue lists are
/// built from, so frame and flow counts are the exact ones extract wrote, never a count of files.
/// </summary>
/// <param name="Settings">The settings every folder was written with.</param>
/// <param name="Entries">Every complete video, ordered by output folder (ordinal).</param>
internal sealed record ExtractedVideos(ExtractSettings Settings, IReadOnlyList<ManifestEntry> Entries)
{
    /// <summary>
    /// Reads <paramref name="extracted"/>; refuses a folder that is not an extract output, holds no complete video, or
    /// mixes shards that disagree (lists from it would silently drop or mislabel videos).
    /// </summary>
    /// <param name="extracted">The OUT folder of toolkit extract.</param>
    /// <param name="exclude">A folder inside it that is not part of the output (where the lists go).</param>
    public static ExtractedVideos Load(string extracted, string? exclude)
    {
        var settings = OutputStore.ReadSettings(extracted)
            ?? throw new ToolkitError(extracted, "not an output of toolkit extract (no .toolkit/settings.json)", "Pass the OUT folder of a toolkit extract run");
        var audit = OutputStore.Audit(extracted, settings, exclude);
        if (!audit.Consistent)
            throw Inconsistent(extracted, audit);
        var entries = audit.Complete.OrderBy(e => e.Output, StringComparer.Ordinal).ToList();
        if (entries.Count == 0)
            throw new ToolkitError(extracted, "no completed video in its manifests", "Run toolkit extract first (and let it finish)");
        return new ExtractedVideos(settings, entries);
    }

    /// <summary>
    /// Lists from a mixed output folder would silently drop or mislabel videos (a shard written with other settings, an
    /// interrupted --force run): refuse, naming every manifest and folder that disagrees.
    /// </summary>
    private static ToolkitError Inconsistent(string extracted, OutputAudit audit)
    {
        static string Some(IReadOnlyList<string> items) =>
            string.Join(", ", items.Take(3)) + (items.Count > 3 ? $" and {items.Count - 3} more" : "");
        var parts = new List<string>();
        foreach (var other in audit.OtherSettings)
            parts.Add($"{other.File} holds {other.Outputs.Count} video(s) written with other settings than .toolkit/settings.json ({Some(other.Outputs)})");
        if (audit.Unlisted.Count > 0)
            parts.Add($"{audit.Unlisted.Count} folder(s) of frames are in no manifest ({Some(audit.Unlisted)})");
        if (audit.Missing.Count > 0)
            parts.Add($"{audit.Missing.Count} listed folder(s) are missing ({Some(audit.Missing)})");
        return new ToolkitError(extracted, "its shards disagree, so lists would leave videos out: " + string.Join("; ", parts),
            "Rerun toolkit extract on every shard with the settings in .toolkit/settings.json (it redoes exactly these videos), "
            + "or remove the folders of videos no longer in the source; then run toolkit lists again");
    }
}
