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

    /// <summary>Relative path → last write time (UTC ticks) of every file and folder under <paramref name="root"/>, OUT/.toolkit/ included.</summary>
    public static SortedDictionary<string, long> WriteTimes(string root)
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            result[Relative(root, entry.FullName)] = entry.LastWriteTimeUtc.Ticks;
        return result;
    }

    /// <summary>Every temporary <c>.stem.partial-SHARD</c> folder anywhere under <paramref name="root"/>.</summary>
    public static List<string> PartialFolders(string root) =>
        !Directory.Exists(root) ? [] :
        Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(d => Path.GetFileName(d).Contains(".partial-", StringComparison.Ordinal))
            .Select(d => Relative(root, d))
            .ToList();

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
