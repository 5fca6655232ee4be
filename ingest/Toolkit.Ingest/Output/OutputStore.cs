using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Toolkit.Core;
using Toolkit.Ingest.Discovery;

namespace Toolkit.Ingest.Output;

/// <summary>
/// The output folder of <c>toolkit extract</c> and its bookkeeping in <c>OUT/.toolkit/</c>:
/// <list type="bullet">
/// <item><c>settings.json</c>: the settings every folder in OUT was written with;</item>
/// <item><c>manifest-IIIII-of-NNNNN.jsonl</c>: one line per completed video, one file per shard (shards never share a file,
/// so many machines can write into one shared OUT);</item>
/// <item><c>shard-IIIII-of-NNNNN.lock</c>: held while a run writes that shard.</item>
/// </list>
/// A video is written into a hidden temporary folder beside its final place (<c>.stem.partial-SHARD</c>) and renamed into
/// place only when complete; its manifest line is appended after the rename. A folder without a line is redone.
/// </summary>
public sealed partial class OutputStore : IDisposable
{
    /// <summary>Name of the bookkeeping folder inside OUT.</summary>
    public const string MetaFolder = ".toolkit";

    internal static JsonSerializerOptions Json => StoreJson.Default.Options;

    private readonly FileStream _lock;
    private readonly object _appendGate = new();
    private readonly Dictionary<string, ManifestEntry> _complete;

    private OutputStore(string root, ExtractSettings settings, string settingsHash, ShardSpec shard, FileStream shardLock, Dictionary<string, ManifestEntry> complete)
    {
        Root = root;
        Settings = settings;
        SettingsHash = settingsHash;
        Shard = shard;
        _lock = shardLock;
        _complete = complete;
    }

    /// <summary>Absolute path of OUT.</summary>
    public string Root { get; }

    /// <summary>The settings of this run (equal to the stored ones).</summary>
    public ExtractSettings Settings { get; }

    /// <summary>Short hash of <see cref="Settings"/>, stored in every manifest line.</summary>
    public string SettingsHash { get; }

    /// <summary>The shard this run writes.</summary>
    public ShardSpec Shard { get; }

    /// <summary>This shard's manifest file.</summary>
    public string ManifestPath => Path.Combine(Root, MetaFolder, $"manifest-{Shard.Tag}.jsonl");

    /// <summary>
    /// Opens OUT for a run: creates it, checks (or with <paramref name="force"/> replaces) the stored settings, takes the
    /// shard lock, removes this shard's temporary leftovers and loads every shard's manifest.
    /// </summary>
    public static OutputStore Open(string root, ExtractSettings settings, ShardSpec shard, bool force)
    {
        root = Path.GetFullPath(root);
        string meta = Path.Combine(root, MetaFolder);
        string settingsPath = Path.Combine(meta, "settings.json");
        string settingsJson = JsonSerializer.Serialize(settings, Json);
        string hash = HashOf(settings);
        try
        {
            if (File.Exists(root))
                throw new ToolkitError(root, "the output path is a file", "Pass a folder (it is created if missing)");
            if (Directory.Exists(root) && !File.Exists(settingsPath) && !force
                && Directory.EnumerateFileSystemEntries(root).Any(e => Path.GetFileName(e) != MetaFolder))
            {
                throw new ToolkitError(root, "the output folder is not empty and was not written by toolkit extract",
                    "Choose an empty or new folder, or pass --force to let toolkit replace the folders it writes there");
            }
            Directory.CreateDirectory(meta);

            string lockPath = Path.Combine(meta, $"shard-{shard.Tag}.lock");
            var shardLock = TryLock(lockPath, FileShare.None)
                ?? throw new ToolkitError(root, $"another toolkit extract is already writing shard {shard} here (lock {lockPath})",
                    "Wait for it to finish, or stop it; two runs must not write the same shard");

            try
            {
                RefuseOtherShardCounts(root, meta, shard);

                // The settings are claimed create-exclusive (a hard link cannot replace a file), then compared: of two
                // shards started at once with different settings, one claims and the other is refused. Only --force
                // replaces stored settings.
                if (!File.Exists(settingsPath))
                    TryClaim(settingsPath, settingsJson + "\n");
                string stored = File.ReadAllText(settingsPath);
                if (!string.Equals(stored.Trim(), settingsJson, StringComparison.Ordinal))
                {
                    if (!force)
                    {
                        throw new ToolkitError(root, $"it was written with different settings ({Difference(stored, settingsJson)})",
                            "Rerun with the same options, choose another output folder, or pass --force to rewrite every video with the new settings");
                    }
                    WriteAtomically(settingsPath, settingsJson + "\n");
                }

                RemoveLeftovers(root, shard);
                EndTornLine(Path.Combine(meta, $"manifest-{shard.Tag}.jsonl"));
                var complete = LoadManifests(meta, hash);
                return new OutputStore(root, settings, hash, shard, shardLock, complete);
            }
            catch
            {
                shardLock.Dispose();
                throw;
            }
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            throw WriteFailure.Of(e, root);
        }
    }

    /// <summary>
    /// The manifest entry of a complete, up-to-date output folder for <paramref name="video"/>, or null when it must be
    /// (re)converted: no entry, other settings, source changed since, or the folder is missing.
    /// </summary>
    public ManifestEntry? CompleteEntry(VideoSource video)
    {
        if (!_complete.TryGetValue(video.OutputName, out var entry))
            return null;
        if (SourceIdentity.Of(video.Path) is not { } now || now.Size != entry.SourceSize || now.MtimeMs != entry.SourceMtime
            || entry.SourceInode is { } inode && now.Inode != 0 && now.Inode != inode)
            return null;
        return Directory.Exists(FinalPath(video.OutputName)) ? entry : null;
    }

    /// <summary>
    /// The video file itself for size and modification-time checks: a symbolic link is followed to its final target,
    /// so replacing the video behind an unchanged link is noticed (the link's own size and time never change).
    /// </summary>
    public static FileInfo SourceFile(string path)
    {
        var info = new FileInfo(path);
        try
        {
            return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
        }
        catch (IOException)
        {
            return info; // a link loop or an unreadable link: judged by the link itself, and the probe reports the problem
        }
    }

    /// <summary>Final folder of an output name.</summary>
    public string FinalPath(string outputName) => Path.Combine(Root, outputName.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Temporary folder for an output name: hidden, beside the final one, tagged with the shard.</summary>
    public string TemporaryPath(string outputName)
    {
        string final = FinalPath(outputName);
        string name = Path.GetFileName(final);
        // File names are limited to 255 bytes: a long stem keeps its first 120 characters and a hash of the whole name,
        // so the temporary name fits whenever the final one does.
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes - TemporaryOverheadBytes)
            name = $"{name[..Math.Min(name.Length, 120)]}~{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16]}";
        return Path.Combine(Path.GetDirectoryName(final)!, $".{name}.partial-{Shard.Tag}");
    }

    /// <summary>The longest file name (bytes) Linux file systems take.</summary>
    public const int MaxNameBytes = 255;

    // "." + ".partial-" + a shard tag such as 00000-of-00064 (longer tags for more than 99999 shards).
    private const int TemporaryOverheadBytes = 40;

    /// <summary>Why <paramref name="outputName"/> cannot be written (a part longer than a file name may be), or null.</summary>
    public static string? NameProblem(string outputName)
    {
        foreach (var part in outputName.Split('/'))
        {
            int bytes = Encoding.UTF8.GetByteCount(part);
            if (bytes > MaxNameBytes)
                return $"its output name part '{part[..Math.Min(part.Length, 40)]}…' is {bytes} bytes, over the {MaxNameBytes}-byte limit of a file name; rename the video (or its class folder)";
        }
        return null;
    }

    /// <summary>Creates an empty temporary folder for <paramref name="outputName"/>, replacing a stale one.</summary>
    public string BeginVideo(string outputName)
    {
        string temp = TemporaryPath(outputName);
        if (Directory.Exists(temp))
            Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        return temp;
    }

    /// <summary>
    /// Moves a complete temporary folder into place (replacing an older folder of the same name) and appends the manifest
    /// line, flushed to disk. Until the line is written the folder counts as incomplete.
    /// </summary>
    public void Commit(string temporary, ManifestEntry entry)
    {
        string final = FinalPath(entry.Output);
        if (Directory.Exists(final))
            Directory.Delete(final, recursive: true);
        Directory.Move(temporary, final);
        Append(entry);
    }

    /// <summary>
    /// Before an output's folder is removed to be redone: when a manifest still lists it, appends a tombstone line
    /// (flushed) so that nothing (<c>lists</c>, a loader) trusts the old entry once the folder is gone, even if the redo
    /// then fails or the run is killed. The next complete entry supersedes the tombstone.
    /// </summary>
    public void Retract(VideoSource video)
    {
        lock (_appendGate)
        {
            if (!_complete.ContainsKey(video.OutputName))
                return;
        }
        Append(new ManifestEntry
        {
            Output = video.OutputName,
            Source = video.Key,
            SourcePath = video.Path,
            Settings = SettingsHash,
            Retracted = true,
            Completed = DateTimeOffset.UtcNow,
        });
    }

    private void Append(ManifestEntry entry)
    {
        string line = JsonSerializer.Serialize(entry, Json) + "\n";
        lock (_appendGate)
        {
            using var stream = new FileStream(ManifestPath, FileMode.Append, FileAccess.Write, FileShare.Read);
            var bytes = Encoding.UTF8.GetBytes(line);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
            if (entry.Retracted)
                _complete.Remove(entry.Output);
            else
                _complete[entry.Output] = entry;
        }
    }

    /// <summary>Removes a folder left by an earlier, interrupted run of this shard (or an incomplete final folder).</summary>
    public void Discard(string folder)
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// Reads every shard's manifest in <paramref name="root"/>, keeping for each output the newest complete entry written
    /// with <paramref name="settingsHash"/> (any settings when null), unless a newer tombstone retracted it.
    /// </summary>
    public static Dictionary<string, ManifestEntry> ReadManifests(string root, string? settingsHash = null) =>
        LoadManifests(Path.Combine(Path.GetFullPath(root), MetaFolder), settingsHash);

    /// <summary>The settings stored in an output folder, or null when it has none.</summary>
    public static ExtractSettings? ReadSettings(string root)
    {
        string path = Path.Combine(Path.GetFullPath(root), MetaFolder, "settings.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<ExtractSettings>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Short hash identifying <paramref name="settings"/> in manifest lines.</summary>
    public static string HashOf(ExtractSettings settings) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(settings, Json))))[..16];

    /// <summary>True when <paramref name="e"/> means the file system has no space (or quota) left.</summary>
    public static bool IsDiskFull(IOException e) => DiskSpace.IsFull(e);

    private static Dictionary<string, ManifestEntry> LoadManifests(string meta, string? hash)
    {
        var result = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
        foreach (var (output, (entry, _)) in ReadNewest(meta))
        {
            if (hash is null || entry.Settings == hash)
                result[output] = entry;
        }
        return result;
    }

    /// <summary>
    /// For each output, its newest complete entry in any shard's manifest and the file holding it, unless a newer
    /// tombstone retracted it. The newest entry decides, whatever its settings: an older entry with today's settings does
    /// not describe a folder that a later run rewrote with other ones.
    /// </summary>
    private static Dictionary<string, (ManifestEntry Entry, string File)> ReadNewest(string meta)
    {
        var result = new Dictionary<string, (ManifestEntry, string)>(StringComparer.Ordinal);
        var retracted = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (!Directory.Exists(meta))
            return result;
        foreach (string file in Directory.GetFiles(meta, "manifest-*.jsonl").OrderBy(f => f, StringComparer.Ordinal))
        {
            foreach (string line in File.ReadLines(file))
            {
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                ManifestEntry? entry;
                try
                {
                    entry = JsonSerializer.Deserialize<ManifestEntry>(line, Json);
                }
                catch (JsonException)
                {
                    continue; // a line torn by a kill: its folder was renamed but never recorded, so it is redone.
                }
                if (entry is null)
                    continue;
                if (entry.Retracted)
                {
                    if (!retracted.TryGetValue(entry.Output, out var at) || entry.Completed > at)
                        retracted[entry.Output] = entry.Completed;
                }
                else if (!result.TryGetValue(entry.Output, out var seen) || entry.Completed >= seen.Item1.Completed)
                {
                    result[entry.Output] = (entry, file); // the newest complete entry wins, whichever shard's file holds it
                }
            }
        }
        foreach (var (output, at) in retracted)
        {
            if (result.TryGetValue(output, out var found) && found.Item1.Completed <= at)
                result.Remove(output);
        }
        return result;
    }

    /// <summary>
    /// Checks that an output folder is one consistent dataset before anything is listed from it: every manifest entry
    /// written with the stored settings, every listed folder on disk, every extracted folder on disk listed.
    /// </summary>
    /// <param name="root">OUT.</param>
    /// <param name="settings">Its stored settings.</param>
    /// <param name="exclude">A folder inside OUT that is not output (where lists are written), or null.</param>
    public static OutputAudit Audit(string root, ExtractSettings settings, string? exclude = null)
    {
        root = Path.GetFullPath(root);
        string hash = HashOf(settings);
        var newest = ReadNewest(Path.Combine(root, MetaFolder));
        var complete = new List<ManifestEntry>();
        var missing = new List<string>();
        var others = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (output, (entry, file)) in newest.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (entry.Settings != hash)
            {
                string name = Path.GetFileName(file);
                if (!others.TryGetValue(name, out var outputs))
                    others[name] = outputs = [];
                outputs.Add(output);
            }
            else if (!Directory.Exists(Path.Combine(root, output.Replace('/', Path.DirectorySeparatorChar))))
            {
                missing.Add(output);
            }
            else
            {
                complete.Add(entry);
            }
        }

        string? skip = exclude is null ? null : Path.GetFullPath(exclude).TrimEnd(Path.DirectorySeparatorChar);
        var unlisted = new List<string>();
        foreach (string folder in OutputFolders(root, settings.Level))
        {
            string full = Path.Combine(root, folder.Replace('/', Path.DirectorySeparatorChar));
            if (newest.ContainsKey(folder) || full == skip || (skip is not null && full.StartsWith(skip + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                continue;
            if (HoldsFrames(full))
                unlisted.Add(folder);
        }
        return new OutputAudit(complete,
            others.Select(p => new OtherSettingsManifest(p.Key, p.Value)).ToList(),
            unlisted.Order(StringComparer.Ordinal).ToList(), missing);
    }

    private static IEnumerable<string> OutputFolders(string root, int level)
    {
        var visible = new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden | FileAttributes.System, IgnoreInaccessible = true };
        foreach (string first in Directory.EnumerateDirectories(root, "*", visible))
        {
            string name = Path.GetFileName(first);
            if (level == 1)
            {
                yield return name;
                continue;
            }
            foreach (string second in Directory.EnumerateDirectories(first, "*", visible))
                yield return $"{name}/{Path.GetFileName(second)}";
        }
    }

    private static bool HoldsFrames(string folder) =>
        Directory.EnumerateFiles(folder, "*.jpg").Any(f => RawframeLayout.Parse(Path.GetFileName(f)).Kind != RawframeKind.None);

    private static void RemoveLeftovers(string root, ShardSpec shard)
    {
        string suffix = $".partial-{shard.Tag}";
        foreach (string level1 in Directory.EnumerateDirectories(root))
        {
            string name = Path.GetFileName(level1);
            if (name == MetaFolder)
                continue;
            if (name.StartsWith('.') && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                Directory.Delete(level1, recursive: true);
                continue;
            }
            foreach (string level2 in Directory.EnumerateDirectories(level1, ".*" + suffix))
                Directory.Delete(level2, recursive: true);
        }
    }

    /// <summary>Opens (creating) a lock file with <paramref name="share"/> (None: exclusive flock; Read: shared), or null when
    /// another process holds a conflicting lock. Retried for a moment, because another run's probe holds a lock briefly.</summary>
    private static FileStream? TryLock(string path, FileShare share)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, share);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && !IsDiskFull(e))
            {
                if (attempt >= 10)
                    return null;
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>
    /// Refuses to start while a run with another shard count writes into OUT: shards 0/1 and 0/2 would both convert the
    /// videos of shard 0/2. Each shard lock of another count is probed with a shared lock (a live run holds it exclusively).
    /// </summary>
    private static void RefuseOtherShardCounts(string root, string meta, ShardSpec shard)
    {
        string ownCount = $"-of-{shard.Count:D5}.lock";
        foreach (string other in Directory.EnumerateFiles(meta, "shard-*.lock"))
        {
            if (other.EndsWith(ownCount, StringComparison.Ordinal))
                continue;
            using var probe = TryLock(other, FileShare.Read);
            if (probe is null)
            {
                string tag = Path.GetFileNameWithoutExtension(other)["shard-".Length..];
                throw new ToolkitError(root, $"another toolkit extract is writing here with another shard count ({tag.Replace("-of-", " of ", StringComparison.Ordinal)}; this run is {shard.Index} of {shard.Count})",
                    "Give every run on one output folder the same --shard count (I/N with one N), or wait for that run to finish");
            }
        }
    }

    /// <summary>Writes <paramref name="path"/> only if it does not exist yet, atomically: complete or absent, never half.</summary>
    private static void TryClaim(string path, string text)
    {
        string temp = path + ".claim-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId;
        File.WriteAllText(temp, text);
        try
        {
            // link(2) never replaces: it fails with EEXIST when another run claimed first (File.Move without overwrite is
            // a check and a rename, and two runs can both pass the check).
            if (Link(temp, path) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EExist)
                    throw new IOException($"cannot create {path} (errno {errno})", errno);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private const int EExist = 17;

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);

    /// <summary>A kill in the middle of an append leaves a line without its newline; the next line must not be glued to it.</summary>
    private static void EndTornLine(string manifest)
    {
        if (!File.Exists(manifest))
            return;
        using var stream = new FileStream(manifest, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length == 0)
            return;
        stream.Seek(-1, SeekOrigin.End);
        if (stream.ReadByte() == '\n')
            return;
        stream.Seek(0, SeekOrigin.End);
        stream.WriteByte((byte)'\n');
        stream.Flush(flushToDisk: true);
    }

    private static void WriteAtomically(string path, string text)
    {
        string temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private static string Difference(string storedJson, string currentJson)
    {
        try
        {
            using var stored = JsonDocument.Parse(storedJson);
            using var current = JsonDocument.Parse(currentJson);
            var diffs = new List<string>();
            var keys = stored.RootElement.EnumerateObject().Select(p => p.Name)
                .Union(current.RootElement.EnumerateObject().Select(p => p.Name));
            foreach (string key in keys)
            {
                string a = stored.RootElement.TryGetProperty(key, out var va) ? va.GetRawText() : "unset";
                string b = current.RootElement.TryGetProperty(key, out var vb) ? vb.GetRawText() : "unset";
                if (a != b)
                    diffs.Add($"{key}: {a} before, {b} now");
            }
            return diffs.Count == 0 ? "formatting differs" : string.Join("; ", diffs);
        }
        catch (JsonException)
        {
            return "the stored settings file is unreadable";
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();
}

internal static class DateTimeExtensions
{
    public static long ToUnixTimeMilliseconds(this DateTime utc) => new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeMilliseconds();
}

/// <summary>What <see cref="OutputStore.Audit"/> found in an output folder.</summary>
/// <param name="Complete">Entries written with the stored settings whose folders are on disk: what may be listed.</param>
/// <param name="OtherSettings">Manifests holding outputs whose newest entry was written with other settings.</param>
/// <param name="Unlisted">Folders of extracted frames that no manifest lists (an interrupted run, or a removed video).</param>
/// <param name="Missing">Outputs a manifest lists whose folders are gone.</param>
public sealed record OutputAudit(
    IReadOnlyList<ManifestEntry> Complete,
    IReadOnlyList<OtherSettingsManifest> OtherSettings,
    IReadOnlyList<string> Unlisted,
    IReadOnlyList<string> Missing)
{
    /// <summary>True when every folder and every entry agrees.</summary>
    public bool Consistent => OtherSettings.Count == 0 && Unlisted.Count == 0 && Missing.Count == 0;
}

/// <summary>A manifest file (one shard's) and the outputs in it written with settings other than the stored ones.</summary>
/// <param name="File">The manifest's file name, e.g. <c>manifest-00001-of-00002.jsonl</c>.</param>
/// <param name="Outputs">The outputs, sorted.</param>
public sealed record OtherSettingsManifest(string File, IReadOnlyList<string> Outputs);
