using System.Text.Json;
using Toolkit.Core;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>
/// ActivityNet v1.3 as published: <c>activity_net.v1-3.min.json</c> (<c>taxonomy</c>, and
/// <c>database.&lt;id&gt;.{subset, duration, annotations[{segment: [start, end], label}]}</c>). One line per annotated
/// segment: a clip extracted with <c>extract --segments</c> (<c>activitynet_{train,val}_list</c>: <c>frame_dir
/// total_frames label</c>), or a frame range of the untrimmed video extracted whole (<c>activitynet_{train,val}_clip</c>:
/// <c>frame_dir offset total_frames label</c>, the offsets as mmaction2's
/// <c>tools/data/activitynet/generate_rawframes_filelist.py</c> computes them). Labels: the taxonomy's leaf nodes in
/// sorted order. Videos are matched by file name, <c>v_&lt;id&gt;</c> (as downloaded) or <c>&lt;id&gt;</c>.
/// </summary>
internal static class ActivityNetAnnotations
{
    public const string FileName = "activity_net.v1-3.min.json";

    private static readonly (Subset Subset, string Name, string Official)[] Subsets =
    [
        (Subset.Train, "train", "training"),
        (Subset.Val, "val", "validation"),
    ];

    public static DatasetAnnotations Read(string folder, AnnotationRequest request)
    {
        if (request.Subset == Subset.Test)
            throw new ToolkitError("OfficialListOptions.Subset", "ActivityNet's test videos carry no annotations, so there is no test list", "Use --subset train, val or all");
        string path = AnnotationText.Require(folder, FileName, "taxonomy and database");
        using var document = AnnotationJson.Parse(path);
        var root = document.RootElement;
        var labels = Leaves(root, path);
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("database", out var database) || database.ValueKind != JsonValueKind.Object)
            throw new ToolkitError(path, "has no \"database\" object", "Pass the official activity_net.v1-3.min.json");

        var clips = Subsets.ToDictionary(s => s.Subset, _ => new List<AnnotatedVideo>());
        var ranges = Subsets.ToDictionary(s => s.Subset, _ => new List<AnnotatedVideo>());
        var duplicates = new DuplicateCheck();
        foreach (var video in database.EnumerateObject())
        {
            string where = $"{path}: database.{video.Name}";
            string subsetName = AnnotationJson.Text(video.Value, "subset", where);
            var subset = Subsets.FirstOrDefault(s => s.Official == subsetName).Subset;
            if (subset == Subset.All)
                continue; // testing: no annotations
            if (!video.Value.TryGetProperty("duration", out var durationValue) || !durationValue.TryGetDouble(out double duration) || !(duration > 0))
                throw new ToolkitError(where, "has no positive \"duration\"", "Pass the official file");
            if (!video.Value.TryGetProperty("annotations", out var annotations) || annotations.ValueKind != JsonValueKind.Array)
                throw new ToolkitError(where, "has no \"annotations\" array", "Pass the official file");
            int n = 0;
            foreach (var annotation in annotations.EnumerateArray())
            {
                string at = $"{where}.annotations[{n++}]";
                string label = AnnotationJson.Text(annotation, "label", at);
                if (!index.TryGetValue(label, out int id))
                    throw new ToolkitError(at, $"its label '{label}' is not a leaf of the taxonomy", "Pass the official file (every annotated label is a leaf node)");
                if (!annotation.TryGetProperty("segment", out var segment) || segment.ValueKind != JsonValueKind.Array || segment.GetArrayLength() != 2
                    || !segment[0].TryGetDouble(out double start) || !segment[1].TryGetDouble(out double end) || !(end > start) || start < 0)
                {
                    throw new ToolkitError(at, "has no \"segment\": [start, end] in seconds with start < end", "Fix or remove the annotation");
                }
                clips[subset].Add(duplicates.Add(new AnnotatedVideo(EntryKeys.Segment(video.Name, start, end), id, at)));
                ranges[subset].Add(new AnnotatedVideo(video.Name, id, at) { Range = (start, end, duration) });
            }
        }
        var lists = new List<AnnotationList>();
        foreach (var (subset, name, _) in Subsets)
        {
            lists.Add(new AnnotationList($"activitynet_{name}_list", subset, null, Matching.Segment, clips[subset]));
            lists.Add(new AnnotationList($"activitynet_{name}_clip", subset, null, Matching.WholeVideo, ranges[subset]));
        }
        return new DatasetAnnotations(labels, lists);
    }

    /// <summary>The taxonomy's leaf node names (no node names them as parent), sorted by code point.</summary>
    private static List<string> Leaves(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("taxonomy", out var taxonomy) || taxonomy.ValueKind != JsonValueKind.Array || taxonomy.GetArrayLength() == 0)
            throw new ToolkitError(path, "has no \"taxonomy\" array", "Pass the official activity_net.v1-3.min.json (its taxonomy gives the label map)");
        var nodes = new List<(string Id, string Name)>();
        var parents = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (var node in taxonomy.EnumerateArray())
        {
            string at = $"{path}: taxonomy[{i++}]";
            nodes.Add((AnnotationJson.Text(node, "nodeId", at), AnnotationJson.Text(node, "nodeName", at)));
            if (node.TryGetProperty("parentId", out var parent) && parent.ValueKind is JsonValueKind.Number or JsonValueKind.String)
                parents.Add(parent.ValueKind == JsonValueKind.String ? parent.GetString()! : parent.GetRawText());
        }
        return [.. nodes.Where(n => !parents.Contains(n.Id)).Select(n => n.Name).Distinct(StringComparer.Ordinal).Order(AnnotationText.CodePointOrder)];
    }
}
