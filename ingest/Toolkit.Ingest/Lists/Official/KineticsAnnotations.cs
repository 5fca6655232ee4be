using System.Globalization;
using Toolkit.Core;
using Toolkit.Ingest.Discovery;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>
/// Kinetics-400/600/700 as published (<c>kinetics_{train,val,test}.csv</c>, or the archive's own <c>train.csv</c>,
/// <c>validate.csv</c>, <c>test.csv</c>): columns <c>label,youtube_id,time_start,time_end,split</c> found by their header
/// names (the 2020 releases add <c>is_cc</c>; Kinetics-700-2020's test file has no label column). As mmaction2's
/// <c>parse_kinetics_splits</c>: video id <c>youtube_id_{int(start):06d}_{int(end):06d}</c>, under
/// <c>label/</c> at level 2 with the label's <c>"</c> removed and spaces made <c>_</c>; labels numbered in the sorted
/// order of the full train CSV's labels, whatever was extracted.
/// </summary>
internal static class KineticsAnnotations
{
    private static readonly (Subset Subset, string File, string Official)[] Files =
    [
        (Subset.Train, "kinetics_train.csv", "train.csv"),
        (Subset.Val, "kinetics_val.csv", "validate.csv"),
        (Subset.Test, "kinetics_test.csv", "test.csv"),
    ];

    public static DatasetAnnotations Read(string folder, string dataset, AnnotationRequest request)
    {
        const string Holds = "rows label,youtube_id,time_start,time_end,split";
        string train = AnnotationText.Require(folder, Files[0].File, Holds, Files[0].Official);
        var trainRows = Rows(train, labelRequired: true);

        // The label map: every label of the full train CSV, sorted by code point as Python sorts; the name shown is the
        // label with its quotes removed (mmaction2's convert_label(keep_whitespaces=True)), as in label_map_k400.txt.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in trainRows)
            names.TryAdd(ConvertLabel(row.Label!), row.Label!.Replace("\"", "", StringComparison.Ordinal));
        var sorted = names.Keys.Order(AnnotationText.CodePointOrder).ToList();
        var index = sorted.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);

        var lists = new List<AnnotationList>();
        var duplicates = new DuplicateCheck();
        foreach (var (subset, file, official) in Files)
        {
            string? path = subset == Subset.Train ? train
                : request.Wants(subset) && request.Subset != Subset.All ? AnnotationText.Require(folder, file, Holds, official)
                : AnnotationText.Find(folder, file, official);
            if (path is null)
                continue;
            var rows = subset == Subset.Train ? trainRows : Rows(path, labelRequired: subset != Subset.Test);
            var videos = new List<AnnotatedVideo>(rows.Count);
            foreach (var row in rows)
            {
                string clip = $"{row.YoutubeId}_{row.Start:D6}_{row.End:D6}";
                if (row.Label is null)
                {
                    // An unlabelled test row: label -1 (mmaction2's "label unknown"); at level 2 the clip lies in test/,
                    // where mmaction2's download.py puts clips of a CSV without labels.
                    videos.Add(duplicates.Add(new AnnotatedVideo(request.Level == 2 ? $"test/{clip}" : clip, -1, row.Where)));
                    continue;
                }
                string label = ConvertLabel(row.Label);
                if (!index.TryGetValue(label, out int id))
                {
                    throw new ToolkitError(row.Where, $"its label '{row.Label}' is not a label of {train}",
                        "The label map comes from the train CSV: pass the CSVs of one Kinetics release; nothing was written");
                }
                string key = request.Level == 2 ? $"{SourceDiscovery.FolderName(label)}/{clip}" : clip;
                videos.Add(duplicates.Add(new AnnotatedVideo(key, id, row.Where)));
            }
            lists.Add(new AnnotationList($"{dataset}_{subset.ToString().ToLowerInvariant()}_list", subset, null, Matching.Folder, videos));
        }
        return new DatasetAnnotations([.. sorted.Select(l => names[l])], lists);
    }

    /// <summary>mmaction2's <c>convert_label</c>: quotes removed, spaces made underscores.</summary>
    public static string ConvertLabel(string label) => label.Replace("\"", "", StringComparison.Ordinal).Replace(' ', '_');

    private sealed record Row(string? Label, string YoutubeId, int Start, int End, string Where);

    private static List<Row> Rows(string path, bool labelRequired)
    {
        var lines = AnnotationText.Lines(path);
        var header = lines.FirstOrDefault(l => l.Text.Length > 0);
        if (header.Text is null)
            throw new ToolkitError(path, "is empty", "Pass the official CSV (a header label,youtube_id,time_start,time_end,split and one row per clip)");
        var columns = AnnotationText.CsvFields(header.Text).Select(c => c.Trim()).ToList();
        int Column(string name, bool required)
        {
            int i = columns.IndexOf(name);
            if (i < 0 && required)
            {
                throw new ToolkitError($"{path} line {header.Number}", $"its header ({header.Text}) has no '{name}' column",
                    "The first line must name the columns: label,youtube_id,time_start,time_end,split (as the official CSVs do)");
            }
            return i;
        }
        int label = Column("label", labelRequired), id = Column("youtube_id", true), start = Column("time_start", true), end = Column("time_end", true);
        var rows = new List<Row>();
        foreach (var (number, text) in lines.Where(l => l.Number > header.Number && l.Text.Length > 0))
        {
            string where = $"{path} line {number}";
            var f = AnnotationText.CsvFields(text);
            if (f.Count != columns.Count)
                throw new ToolkitError(where, $"has {f.Count} column(s) where the header names {columns.Count}", $"Each row must be {header.Text}; fix or remove the row");
            string? name = label >= 0 && f[label].Length > 0 ? f[label] : null;
            if (name is null && labelRequired)
                throw new ToolkitError(where, "has no label", "Every train and val row needs its class in the label column");
            if (f[id].Length == 0)
                throw new ToolkitError(where, "has no youtube_id", "Fix or remove the row");
            rows.Add(new Row(name, f[id], Seconds(f[start], where, "time_start"), Seconds(f[end], where, "time_end"), where));
        }
        return rows;
    }

    /// <summary>Python's <c>int(float(text))</c>: the seconds truncated toward zero.</summary>
    private static int Seconds(string text, string where, string column)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0 || value >= int.MaxValue)
            throw new ToolkitError(where, $"its {column} '{text}' is not a time in seconds", "Fix the row (times are non-negative numbers)");
        return (int)Math.Truncate(value);
    }
}
