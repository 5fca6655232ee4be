using System.Globalization;
using Toolkit.Core;

namespace Toolkit.Loaders.Datasets;

/// <summary>Parses the list files <c>toolkit lists</c> writes (and mmaction2's tools): rawframe and video lists.</summary>
public static class ListFile
{
    /// <summary>
    /// A rawframe list: <c>frame_dir total_frames label [label ...]</c> per line (blank lines skipped). Relative folders
    /// are resolved against <paramref name="root"/>.
    /// </summary>
    /// <exception cref="ToolkitError">Missing file or a malformed line (names file and line).</exception>
    public static IReadOnlyList<DatasetItem> ReadRawframes(string list, string root)
    {
        var items = new List<DatasetItem>();
        foreach (var (fields, line) in Lines(list))
        {
            if (fields.Length < 3)
                throw new ToolkitError($"{list} line {line}", "a rawframe list line is 'frame_dir total_frames label [label ...]'");
            if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int total) || total < 1)
                throw new ToolkitError($"{list} line {line}", $"total_frames '{fields[1]}' is not a positive integer");
            items.Add(new DatasetItem(Resolve(root, fields[0]), total, Labels(list, line, fields.AsSpan(2)), line));
        }
        return items;
    }

    /// <summary>A video list: <c>path label [label ...]</c> per line; relative paths are resolved against <paramref name="root"/>.</summary>
    /// <exception cref="ToolkitError">Missing file or a malformed line (names file and line).</exception>
    public static IReadOnlyList<DatasetItem> ReadVideos(string list, string root)
    {
        var items = new List<DatasetItem>();
        foreach (var (fields, line) in Lines(list))
        {
            if (fields.Length < 2)
                throw new ToolkitError($"{list} line {line}", "a video list line is 'path label [label ...]'");
            items.Add(new DatasetItem(Resolve(root, fields[0]), -1, Labels(list, line, fields.AsSpan(1)), line));
        }
        return items;
    }

    private static IEnumerable<(string[] Fields, int Line)> Lines(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (!File.Exists(list))
            throw new ToolkitError(list, "no such list file", "give a list written by 'toolkit lists'");
        int n = 0;
        foreach (string raw in File.ReadLines(list))
        {
            n++;
            var fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0)
                yield return (fields, n);
        }
    }

    private static int[] Labels(string list, int line, ReadOnlySpan<string> fields)
    {
        var labels = new int[fields.Length];
        for (int i = 0; i < fields.Length; i++)
            if (!int.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]))
                throw new ToolkitError($"{list} line {line}", $"label '{fields[i]}' is not a class index");
        return labels;
    }

    private static string Resolve(string root, string path) => Path.IsPathRooted(path) ? path : Path.Combine(root, path);
}
