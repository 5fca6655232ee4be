using System.Security.Cryptography;
using System.Text.Json;
using Toolkit.Ingest.Output;

namespace Toolkit.Ingest.Tests.Support;

/// <summary>Reads what <c>toolkit extract</c> left in an output folder.</summary>
public static class OutputTree
{
    /// <summary>Relative path ('/'-separated) → SHA-256 of every file under <paramref name="root"/>, leaving out OUT/.toolkit/.</summary>
    public static SortedDictionary<string, string> Hashes(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Files(root))
            result[Relative(root, file)] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        return result;
    }

    /// <summary>Up to <paramref name="limit"/> paths that differ between two <see cref="Hashes"/> (missing, extra or other bytes).</summary>
    public static List<string> Differences(IDictionary<string, string> expected, IDictionary<string, string> actual, int limit = 10) =>
        expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
            .Where(k => !expected.TryGetValue(k, out var a) || !actual.TryGetValue(k, out var b) || a != b)
            .Select(k => !actual.ContainsKey(k) ? $"missing {k}" : !expected.ContainsKey(k) ? $"extra {k}" : $"differs {k}")
            .Take(limit)
            .ToList();

    /// <summary>
    /// Copies <paramref name="folder"/> to failed-output/<paramref name="name"/> beside the test assembly so a failed
    /// comparison can be inspected after the temporary folder is gone; returns where it went.
    /// </summary>
    public static string Keep(string folder, string name)
    {
        string target = Path.Combine(AppContext.BaseDirectory, "failed-output", name);
        if (Directory.Exists(target))
            Directory.Delete(target, recursive: true);
        foreach (string file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string copy = Path.Combine(target, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return target;
    }

    /// <summary>Relative path → last write time (UTC ticks) of every file and folder under <paramref name="root"/>, OUT/.toolkit/ included.</summary>
    public static SortedDictionary<string, long> WriteTimes(string root)
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            result[Relative(root, entry.FullName)] = entry.LastWriteTimeUtc.Ticks;
        return result;
    }

    /// <summary>Every temporary <c>.stem.partial-SHARD</c> folder anywhere under <paramref name="root"/>.</summary>
    public static List<string> PartialFolders(string root)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return !Directory.Exists(root) ? [] :
                    Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                        .Where(d => Path.GetFileName(d).Contains(".partial-", StringComparison.Ordinal))
                        .Select(d => Relative(root, d))
                        .ToList();
            }
            catch (DirectoryNotFoundException) when (attempt < 10)
            {
                // A folder was renamed or removed by a running extract while we walked the tree: look again.
            }
        }
    }

    /// <summary>
    /// Files inside temporary folders, written at or after <paramref name="since"/> (UTC). Safe to call while a run
    /// renames and removes those folders.
    /// </summary>
    public static List<string> PartialFiles(string root, DateTime? since = null)
    {
        var files = new List<string>();
        foreach (string folder in PartialFolders(root))
        {
            try
            {
                files.AddRange(new DirectoryInfo(Path.Combine(root, folder)).GetFiles()
                    .Where(f => since is null || f.LastWriteTimeUtc >= since)
                    .Select(f => f.FullName));
            }
            catch (DirectoryNotFoundException)
            {
                // Committed or removed meanwhile.
            }
        }
        return files;
    }

    /// <summary>Every line of every manifest in OUT/.toolkit/, in file order (a torn last line is left out).</summary>
    public static List<ManifestEntry> Manifest(string root)
    {
        var entries = new List<ManifestEntry>();
        string meta = Path.Combine(root, OutputStore.MetaFolder);
        if (!Directory.Exists(meta))
            return entries;
        foreach (string file in Directory.GetFiles(meta, "manifest-*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (string line in File.ReadAllLines(file).Where(l => l.Length > 0))
            {
                try
                {
                    entries.Add(JsonSerializer.Deserialize<ManifestEntry>(line)!);
                }
                catch (JsonException)
                {
                    // A line torn by a kill: the product ignores it too.
                }
            }
        }
        return entries;
    }

    /// <summary>The output folders (relative, '/'-separated) that hold at least one file, OUT/.toolkit/ left out.</summary>
    public static List<string> VideoFolders(string root) =>
        Files(root).Select(f => Relative(root, Path.GetDirectoryName(f)!)).Distinct().Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => !Relative(root, f).StartsWith(OutputStore.MetaFolder + "/", StringComparison.Ordinal));

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
}
