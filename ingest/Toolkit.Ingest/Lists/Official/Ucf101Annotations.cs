using System.Globalization;
using Toolkit.Core;
using Toolkit.Ingest.Discovery;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>
/// UCF101 as published (<c>ucfTrainTestlist/</c>): <c>classInd.txt</c> (<c>index name</c>, from 1),
/// <c>trainlist0N.txt</c> (<c>Class/v_Class_gGG_cCC.avi index</c>) and <c>testlist0N.txt</c> (<c>Class/v_...avi</c>).
/// As mmaction2's <c>parse_ucf101_splits</c>: the label is the class folder's index in classInd.txt minus 1, the id
/// <c>Class/v_...</c> at level 2 and <c>v_...</c> at level 1 (where mmaction2 crashes: it takes the path as the label);
/// the test list of split N is written as <c>ucf101_val_split_N</c>.
/// </summary>
internal static class Ucf101Annotations
{
    public static DatasetAnnotations Read(string folder, AnnotationRequest request)
    {
        var classes = ClassIndex(AnnotationText.Require(folder, "classInd.txt", "lines 'index class', from 1"));
        var lists = new List<AnnotationList>();
        foreach (int split in request.Splits)
        {
            var duplicates = new DuplicateCheck();
            foreach (var (subset, template) in new[] { (Subset.Train, "trainlist{0:D2}.txt"), (Subset.Val, "testlist{0:D2}.txt") })
            {
                string name = string.Format(CultureInfo.InvariantCulture, template, split);
                string path = AnnotationText.Require(folder, name, subset == Subset.Train ? "lines 'Class/v_Class_gGG_cCC.avi index'" : "lines 'Class/v_Class_gGG_cCC.avi'");
                var videos = new List<AnnotatedVideo>();
                foreach (var (number, text) in AnnotationText.Lines(path))
                {
                    string where = $"{path} line {number}";
                    var f = AnnotationText.Words(text);
                    if (f.Length == 0)
                        continue;
                    if (f.Length > 2 || (f.Length == 2 && !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                        throw new ToolkitError(where, $"'{text.Trim()}' is not 'Class/video.avi [index]'", "Fix the line as in the official lists");
                    var video = Split(f[0], where, classes, request.Level);
                    if (f.Length == 2 && int.Parse(f[1], CultureInfo.InvariantCulture) != video.Label + 1)
                    {
                        throw new ToolkitError(where, $"gives index {f[1]} to a video of class '{classes.Names[video.Label]}', which classInd.txt numbers {video.Label + 1}",
                            "Pass the classInd.txt of the same release (mmaction2 takes the label from classInd.txt)");
                    }
                    videos.Add(duplicates.Add(video));
                }
                string prefix = $"ucf101_{(subset == Subset.Train ? "train" : "val")}_split_{split}";
                lists.Add(new AnnotationList(prefix, subset, split, Matching.Folder, videos));
            }
        }
        return new DatasetAnnotations(classes.Names, lists);
    }

    /// <summary>Class names by label (index − 1) and the reverse map.</summary>
    internal sealed record Classes(IReadOnlyList<string> Names, IReadOnlyDictionary<string, int> Labels, string File);

    /// <summary>Reads a <c>classInd.txt</c> (<c>index name</c> lines, indices 1..N each once).</summary>
    internal static Classes ClassIndex(string path)
    {
        var byIndex = new SortedDictionary<int, (string Name, string Where)>();
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (number, text) in AnnotationText.Lines(path))
        {
            string where = $"{path} line {number}";
            var f = AnnotationText.Words(text);
            if (f.Length == 0)
                continue;
            if (f.Length != 2 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1)
                throw new ToolkitError(where, $"'{text.Trim()}' is not 'index class' (index from 1)", "Fix the line as in the official classInd.txt");
            if (byIndex.TryGetValue(index, out var first))
                throw new ToolkitError(where, $"gives index {index} a second time (first to '{first.Name}' at {first.Where})", "Each class needs its own index");
            if (!labels.TryAdd(f[1], index - 1))
                throw new ToolkitError(where, $"lists class '{f[1]}' a second time", "Each class is listed once");
            byIndex[index] = (f[1], where);
        }
        if (byIndex.Count == 0)
            throw new ToolkitError(path, "lists no class", "Pass the official classInd.txt");
        if (byIndex.Keys.Last() != byIndex.Count)
        {
            int gap = Enumerable.Range(1, byIndex.Count).First(i => !byIndex.ContainsKey(i));
            throw new ToolkitError(path, $"has no class with index {gap} (indices must run 1..{byIndex.Count})", "Number the classes 1..N without gaps");
        }
        return new Classes([.. byIndex.Values.Select(v => v.Name)], labels, path);
    }

    /// <summary>A list entry <c>Class/video.ext</c>: its id at the level and its class's label.</summary>
    private static AnnotatedVideo Split(string entry, string where, Classes classes, int level)
    {
        string cls = Path.GetDirectoryName(entry)?.Replace('\\', '/') ?? "";
        if (!classes.Labels.TryGetValue(cls, out int label))
        {
            string reason = cls.Length == 0 ? $"'{entry}' has no class folder" : $"its class '{cls}' is not in {classes.File}";
            throw new ToolkitError(where, reason, "Each entry is Class/video.avi with a Class of classInd.txt; pass the files of one release");
        }
        string stem = SourceDiscovery.FolderName(Path.GetFileNameWithoutExtension(entry));
        return new AnnotatedVideo(level == 2 ? $"{SourceDiscovery.FolderName(Path.GetFileName(cls))}/{stem}" : stem, label, where);
    }
}
