using System.Globalization;
using System.Text.Json;
using Toolkit.Core;
using Toolkit.Ingest.Discovery;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>
/// Something-Something V2 as published: <c>something-something-v2-labels.json</c> (<c>{"template": "index"}</c>) and
/// <c>-train.json</c>, <c>-validation.json</c>, <c>-test.json</c> (arrays of <c>{"id", "template", ...}</c>; the test
/// items have only an id). As mmaction2's <c>parse_sthv2_splits</c>: the label of an item is the index of its template
/// with <c>[</c> and <c>]</c> removed (<c>"Putting [something] on [something]"</c> → <c>"Putting something on
/// something"</c>); the id is the video's file name without extension. The videos are one flat folder, so level 1 only
/// (mmaction2 at level 2 matches nothing).
/// </summary>
internal static class SomethingV2Annotations
{
    private static readonly (Subset Subset, string File)[] Files =
    [
        (Subset.Train, "something-something-v2-train.json"),
        (Subset.Val, "something-something-v2-validation.json"),
        (Subset.Test, "something-something-v2-test.json"),
    ];

    public static DatasetAnnotations Read(string folder, AnnotationRequest request)
    {
        if (request.Level != 1)
        {
            throw new ToolkitError("OfficialListOptions.Level", "Something-Something V2 has no class folders (its videos are one flat folder of <id>.webm)",
                "Extract and list it with --level 1");
        }
        string labelsFile = AnnotationText.Require(folder, "something-something-v2-labels.json", "{\"template\": \"index\"}");
        var (names, labels) = Labels(labelsFile);
        var lists = new List<AnnotationList>();
        var duplicates = new DuplicateCheck();
        foreach (var (subset, file) in Files)
        {
            string? path = request.Wants(subset) && request.Subset != Subset.All
                ? AnnotationText.Require(folder, file, "a JSON array of {\"id\", \"template\"}")
                : AnnotationText.Find(folder, file);
            if (path is null)
                continue;
            var videos = new List<AnnotatedVideo>();
            foreach (var (item, where) in AnnotationJson.ArrayItems(path))
            {
                string id = SourceDiscovery.FolderName(Path.GetFileName(AnnotationJson.Text(item, "id", where)));
                int label = -1;
                if (subset != Subset.Test)
                {
                    string template = AnnotationJson.Text(item, "template", where).Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
                    if (!labels.TryGetValue(template, out label))
                        throw new ToolkitError(where, $"its template '{template}' is not in {labelsFile}", "Pass the label file of the same release; nothing was written");
                }
                videos.Add(duplicates.Add(new AnnotatedVideo(id, label, where)));
            }
            lists.Add(new AnnotationList($"sthv2_{subset.ToString().ToLowerInvariant()}_list", subset, null, Matching.Folder, videos));
        }
        if (!lists.Any(l => l.Subset != Subset.Test))
            AnnotationText.Require(folder, Files[0].File, "a JSON array of {\"id\", \"template\"}");
        return new DatasetAnnotations(names, lists);
    }

    private static (List<string> Names, Dictionary<string, int> Labels) Labels(string path)
    {
        using var document = AnnotationJson.Parse(path);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new ToolkitError(path, "is not a JSON object of template → index", "Pass the official something-something-v2-labels.json");
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var byIndex = new SortedDictionary<int, string>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            string text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            if (!int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out int index) || index < 0)
                throw new ToolkitError(path, $"gives template '{property.Name}' the index '{text}', not a number from 0", "Pass the official file");
            if (!byIndex.TryAdd(index, property.Name))
                throw new ToolkitError(path, $"gives index {index} to both '{byIndex[index]}' and '{property.Name}'", "Each template needs its own index");
            labels[property.Name] = index;
        }
        if (byIndex.Count == 0 || byIndex.Keys.Last() != byIndex.Count - 1)
            throw new ToolkitError(path, $"numbers its {byIndex.Count} templates with gaps (indices must run 0..{byIndex.Count - 1})", "Pass the official file");
        return ([.. byIndex.Values], labels);
    }
}
