using System.Globalization;
using Toolkit.Core;
using Toolkit.Ingest.Discovery;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>
/// HMDB51 as published (<c>testTrainMulti_7030_splits/</c>): one <c>&lt;class&gt;_test_split{1,2,3}.txt</c> per class and
/// split, lines <c>video.avi 0|1|2</c> (1 = train, 2 = test, 0 = unused). As mmaction2's <c>parse_hmdb51_split</c>: classes
/// in sorted order (label = position), train and test lines class by class in file order, the id <c>class/video</c> at
/// level 2 and <c>video</c> at level 1; the test list of split N is written as <c>hmdb51_val_split_N</c>. mmaction2 takes
/// the classes from the folders of <c>data/hmdb51/videos</c>, so a partial download shifts every label; here they come
/// from the annotation files, whatever was extracted.
/// </summary>
internal static class Hmdb51Annotations
{
    private const string Holds = "one <class>_test_split<N>.txt per class and split, lines 'video.avi 0|1|2'";

    public static DatasetAnnotations Read(string folder, AnnotationRequest request)
    {
        if (!Directory.Exists(folder))
            throw new ToolkitError(folder, "no such folder", $"--annotations must be the folder of HMDB51's split files ({Holds})");
        var splits = request.Splits.ToList();
        var classes = Directory.GetFiles(folder, "*_test_split*.txt")
            .Select(Path.GetFileName)
            .Select(n => System.Text.RegularExpressions.Regex.Match(n!, @"^(.+)_test_split([123])\.txt$"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal)
            .Order(AnnotationText.CodePointOrder)
            .ToList();
        if (classes.Count == 0)
            throw new ToolkitError(Path.Combine(folder, "<class>_test_split1.txt"), "no such file", $"--annotations must be the folder of HMDB51's split files ({Holds}); nothing was written");

        var lists = new List<AnnotationList>();
        foreach (int split in splits)
        {
            var duplicates = new DuplicateCheck();
            var train = new List<AnnotatedVideo>();
            var test = new List<AnnotatedVideo>();
            for (int label = 0; label < classes.Count; label++)
            {
                string cls = classes[label];
                string path = AnnotationText.Require(folder, string.Create(CultureInfo.InvariantCulture, $"{cls}_test_split{split}.txt"), Holds);
                foreach (var (number, text) in AnnotationText.Lines(path))
                {
                    string where = $"{path} line {number}";
                    var f = AnnotationText.Words(text);
                    if (f.Length == 0)
                        continue;
                    if (f.Length != 2 || f[1] is not ("0" or "1" or "2"))
                        throw new ToolkitError(where, $"'{text.Trim()}' is not 'video.avi 0|1|2'", "Fix the line as in the official split files (1 = train, 2 = test, 0 = unused)");
                    if (f[1] == "0")
                        continue;
                    string stem = SourceDiscovery.FolderName(Path.GetFileNameWithoutExtension(f[0]));
                    var video = duplicates.Add(new AnnotatedVideo(request.Level == 2 ? $"{SourceDiscovery.FolderName(cls)}/{stem}" : stem, label, where));
                    (f[1] == "1" ? train : test).Add(video);
                }
            }
            lists.Add(new AnnotationList($"hmdb51_train_split_{split}", Subset.Train, split, Matching.Folder, train));
            lists.Add(new AnnotationList($"hmdb51_val_split_{split}", Subset.Val, split, Matching.Folder, test));
        }
        return new DatasetAnnotations(classes, lists);
    }
}
