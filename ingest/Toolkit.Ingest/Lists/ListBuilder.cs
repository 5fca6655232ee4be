using System.Globalization;
using System.Text;
using Toolkit.Core;
using Toolkit.Ingest.Output;

namespace Toolkit.Ingest.Lists;

/// <summary>Options of <c>toolkit lists</c>.</summary>
public sealed record ListOptions
{
    /// <summary>An output folder of <c>toolkit extract</c> (every shard's manifest in it is merged).</summary>
    public required string Extracted { get; init; }

    /// <summary>Folder the lists are written to.</summary>
    public required string Output { get; init; }

    /// <summary>File-name prefix, e.g. <c>kinetics400</c> gives <c>kinetics400_train_list_rawframes.txt</c>.</summary>
    public string Name { get; init; } = "dataset";

    /// <summary>Kinetics-style CSV (<c>label,youtube_id,time_start,time_end,split</c>) giving labels and splits; null uses class folders.</summary>
    public string? KineticsCsv { get; init; }

    /// <summary>Without a CSV: fraction of each class held out for validation (deterministic in <see cref="Seed"/>).</summary>
    public double ValFraction { get; init; } = 0.2;

    /// <summary>Seed of the train/val split.</summary>
    public int Seed { get; init; }
}

/// <summary>What <c>toolkit lists</c> wrote.</summary>
/// <param name="CountsBySplit">Videos per split.</param>
/// <param name="Files">Every list file written.</param>
/// <param name="Classes">Number of labels.</param>
/// <param name="Unmatched">Outputs left out because the Kinetics CSV does not name them.</param>
/// <param name="UnlistableVideos">
/// Source paths left out of the video lists only: they contain whitespace, and mmaction2 splits list lines on
/// whitespace, so no line could name them. Their rawframe and flow entries are written (output folders never contain
/// whitespace).
/// </param>
public sealed record ListSummary(IReadOnlyDictionary<string, int> CountsBySplit, IReadOnlyList<string> Files, int Classes, IReadOnlyList<string> Unmatched, IReadOnlyList<string> UnlistableVideos)
{
    /// <summary>Classes (and their video counts) too small for <see cref="ListOptions.ValFraction"/> to put any video in val.</summary>
    public IReadOnlyList<(string Class, int Videos)> NoValClasses { get; init; } = [];
}

/// <summary>
/// Writes mmaction2 annotation lists from the manifests of an extract output: rawframe lists
/// (<c>frame_dir total_frames label</c>, with RGB frame counts), flow lists (same format, with flow counts = frames − 1,
/// since flow i comes from frames i and i+1) and video lists (<c>path label</c>, paths relative to the source folder),
/// plus <c>label_map.txt</c> (line i is the name of label i).
/// </summary>
public static class ListBuilder
{
    /// <summary>Builds and writes the lists.</summary>
    public static ListSummary Build(ListOptions options)
    {
        var settings = OutputStore.ReadSettings(options.Extracted)
            ?? throw new ToolkitError(options.Extracted, "not an output of toolkit extract (no .toolkit/settings.json)", "Pass the OUT folder of a toolkit extract run");
        if (options.ValFraction is < 0 or >= 1 || double.IsNaN(options.ValFraction))
            throw new ToolkitError("ListOptions.ValFraction", $"{options.ValFraction} is out of range", "Use a fraction in [0, 1)");
        var audit = OutputStore.Audit(options.Extracted, settings, exclude: options.Output);
        if (!audit.Consistent)
            throw Inconsistent(options.Extracted, audit);
        var entries = audit.Complete.OrderBy(e => e.Output, StringComparer.Ordinal).ToList();
        if (entries.Count == 0)
            throw new ToolkitError(options.Extracted, "no completed video in its manifests", "Run toolkit extract first (and let it finish)");

        var rows = new List<(ManifestEntry Entry, string Label, string Split)>();
        var unmatched = new List<string>();
        var noVal = new List<(string Class, int Videos)>();
        if (options.KineticsCsv is { } csv)
        {
            var clips = ReadKinetics(csv);
            foreach (var e in entries)
            {
                string stem = e.Output[(e.Output.LastIndexOf('/') + 1)..];
                if (clips.TryGetValue(stem, out var c))
                    rows.Add((e, c.Label, c.Split));
                else
                    unmatched.Add(e.Output);
            }
            if (rows.Count == 0)
                throw new ToolkitError(csv, $"matches none of the {entries.Count} extracted videos of {options.Extracted} (first: {entries[0].Output})",
                    "the extracted folders must be named youtube_id_start_end as the CSV's rows (extract with --segments from that CSV), or pass the CSV of this dataset; nothing was written");
        }
        else
        {
            foreach (var group in entries.GroupBy(e => e.Class))
            {
                if (group.Key is null)
                    throw new ToolkitError(options.Extracted, "its videos have no class folders (extracted with --level 1)", "Pass --csv with labels, or extract with --level 2 from SRC/<class>/<video>");
                var ordered = group.OrderBy(e => StableHash.Of($"{options.Seed}:{e.Output}")).ThenBy(e => e.Output, StringComparer.Ordinal).ToList();
                int val = (int)Math.Round(ordered.Count * options.ValFraction, MidpointRounding.ToEven);
                if (val == 0 && options.ValFraction > 0)
                    noVal.Add((group.Key, ordered.Count));
                for (int i = 0; i < ordered.Count; i++)
                    rows.Add((ordered[i], group.Key, i < val ? "val" : "train"));
            }
        }

        var labels = rows.Select(r => r.Label).Distinct().OrderBy(l => l, StringComparer.Ordinal).ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        // Every list is built first and written to a temporary file; only when all are written do they replace the old
        // ones, so a full or read-only disk leaves the previous set whole instead of a mix of old and new lists.
        var pending = new List<(string Path, string Text)>();
        void Write(string name, IEnumerable<string> lines) =>
            pending.Add((Path.Combine(options.Output, name), string.Concat(lines.Select(l => l + "\n"))));

        Write("label_map.txt", labels);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var split in rows.GroupBy(r => r.Split).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var list = split.OrderBy(r => r.Entry.Output, StringComparer.Ordinal).ToList();
            counts[split.Key] = list.Count;
            string prefix = $"{options.Name}_{split.Key}_list";
            if (settings.WritesRgb)
                Write($"{prefix}_rawframes.txt", list.Select(r => Line(r.Entry.Output, r.Entry.Frames, index[r.Label])));
            if (settings.WritesFlow)
                Write($"{prefix}_rawframes_flow.txt", list.Select(r => Line(r.Entry.Output, r.Entry.Flows, index[r.Label])));
            // A segment has no video-list line: mmaction2's video lists name whole files (no time range).
            if (list.Any(r => r.Entry.SegmentStart is null))
                Write($"{prefix}_videos.txt", list.Where(r => r.Entry.SegmentStart is null && !HasWhitespace(r.Entry.Source)).Select(r => $"{r.Entry.Source} {index[r.Label]}"));
        }
        var files = Commit(options.Output, pending);
        var unlistable = rows.Where(r => r.Entry.SegmentStart is null).Select(r => r.Entry.Source).Where(HasWhitespace).Order(StringComparer.Ordinal).ToList();
        return new ListSummary(counts, files, labels.Count, unmatched, unlistable) { NoValClasses = noVal };
    }

    private static List<string> Commit(string output, List<(string Path, string Text)> pending)
    {
        var temps = new List<string>();
        try
        {
            Directory.CreateDirectory(output);
            foreach (var (path, text) in pending)
            {
                string temp = path + ".tmp";
                temps.Add(temp);
                File.WriteAllText(temp, text, new UTF8Encoding(false));
            }
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            foreach (string temp in temps)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (Exception cleanup) when (WriteFailure.Is(cleanup))
                {
                    // Nothing more can be done on this file system; the error below says why.
                }
            }
            throw WriteFailure.Of(e, output, "no list was changed");
        }
        foreach (var (path, _) in pending)
            File.Move(path + ".tmp", path, overwrite: true);
        return [.. pending.Select(p => p.Path)];
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

    private static bool HasWhitespace(string text) => text.Any(char.IsWhiteSpace);

    private static string Line(string dir, int frames, int label) => string.Create(CultureInfo.InvariantCulture, $"{dir} {frames} {label}");

    /// <summary>Reads a Kinetics CSV into clip name (<c>youtube_id_{start:06d}_{end:06d}</c>) → (label, split).</summary>
    public static Dictionary<string, (string Label, string Split)> ReadKinetics(string csv)
    {
        if (!File.Exists(csv))
            throw new ToolkitError(csv, "no such file", "Pass the Kinetics annotation CSV (label,youtube_id,time_start,time_end,split)");
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (string raw in File.ReadLines(csv))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || (lineNo == 1 && line.StartsWith("label,", StringComparison.Ordinal)))
                continue;
            var f = SplitCsv(line);
            if (f.Count < 5
                || !double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double start)
                || !double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double end))
            {
                throw new ToolkitError($"{csv} line {lineNo}", "not a Kinetics row", "Each row must be label,youtube_id,time_start,time_end,split");
            }
            string name = string.Create(CultureInfo.InvariantCulture, $"{f[1]}_{(int)start:D6}_{(int)end:D6}");
            result[name] = (f[0], f[4]);
        }
        return result;
    }

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
