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
        if (options.ValFraction is < 0 or >= 1 || double.IsNaN(options.ValFraction))
            throw new ToolkitError("ListOptions.ValFraction", $"{options.ValFraction} is out of range", "Use a fraction in [0, 1)");
        var (settings, entries) = ExtractedVideos.Load(options.Extracted, exclude: options.Output);

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
        var pending = new ListFiles(options.Output);
        void Write(string name, IEnumerable<string> lines) => pending.Add(name, lines);

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
        var files = pending.Commit();
        var unlistable = rows.Where(r => r.Entry.SegmentStart is null).Select(r => r.Entry.Source).Where(HasWhitespace).Order(StringComparer.Ordinal).ToList();
        return new ListSummary(counts, files, labels.Count, unmatched, unlistable) { NoValClasses = noVal };
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
