using Toolkit.Core;

namespace Toolkit.Ingest.Discovery;

/// <summary>
/// Finds the videos to convert: every file under a folder (recursively) with a video extension, or every path in a
/// list file, mapped to output folders the way mmaction2's build_rawframes does (<c>--level 1|2</c>).
/// </summary>
public static class SourceDiscovery
{
    /// <summary>Extensions taken by default (case-insensitive).</summary>
    public static IReadOnlyList<string> DefaultExtensions { get; } =
        ["mp4", "avi", "mkv", "webm", "mov", "m4v", "mpg", "mpeg", "flv", "wmv", "3gp", "ogv", "ts", "mts"];

    /// <summary>
    /// Discovers videos under <paramref name="source"/> (a folder, or a text file with one path per line; relative paths
    /// are relative to the list file; a trailing integer label as in mmaction2 video lists is ignored).
    /// </summary>
    /// <param name="source">Folder or list file.</param>
    /// <param name="level">1: <c>OUT/stem</c>; 2: <c>OUT/class/stem</c> with class = the video's parent folder.</param>
    /// <param name="extensions">Extensions without dots, or null to take every file ("any").</param>
    /// <param name="exclude">A folder never descended into (the output folder, when it lies inside the source).</param>
    /// <param name="cancellationToken">Checked for every folder walked and every list line read.</param>
    public static DiscoveryResult Discover(string source, int level, IReadOnlyCollection<string>? extensions, string? exclude = null, CancellationToken cancellationToken = default)
    {
        var problems = new List<DiscoveryProblem>();
        List<(string Path, string Key, string? Parent)> found;
        if (Directory.Exists(source))
            found = FromFolder(Path.GetFullPath(source), extensions, exclude is null ? null : Path.GetFullPath(exclude), problems, cancellationToken);
        else if (File.Exists(source))
            found = FromList(Path.GetFullPath(source), problems, cancellationToken);
        else
            throw new ToolkitError(source, "no such folder or list file", "Pass a folder of videos or a text file with one video path per line");

        var videos = new List<VideoSource>(found.Count);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, key, parent) in found)
        {
            string stem = Path.GetFileNameWithoutExtension(path);
            if (stem.Length == 0)
            {
                problems.Add(new DiscoveryProblem(path, "the file name has no stem to name its output folder; rename it"));
                continue;
            }
            string? cls = null;
            if (level == 2)
            {
                if (string.IsNullOrEmpty(parent))
                {
                    problems.Add(new DiscoveryProblem(path, "level 2 expects SRC/<class>/<video> but this video has no class folder; move it into one or use --level 1"));
                    continue;
                }
                cls = parent;
            }
            string output = cls is null ? FolderName(stem) : $"{FolderName(cls)}/{FolderName(stem)}";
            if (owners.TryGetValue(output, out string? first))
            {
                problems.Add(new DiscoveryProblem(path, $"its output folder '{output}' is already taken by {first}; rename one of them"));
                continue;
            }
            owners[output] = path;
            videos.Add(new VideoSource(path, key, output, cls));
        }
        if (level == 2 && videos.Count == 0 && found.Count > 0 && found.All(f => string.IsNullOrEmpty(f.Parent)))
        {
            // Every video lies directly in SRC: one error up front instead of the same failure once per video.
            throw new ToolkitError(source, $"its {found.Count} video(s) lie directly in it, with no class folders, but --level 2 (the default) expects SRC/<class>/<video>",
                "use --level 1 (one OUT/<video>/ folder per video), or move the videos into one folder per class");
        }
        return new DiscoveryResult(videos, problems);
    }

    /// <summary>
    /// Discovers the segments listed in <paramref name="segmentsFile"/>: lines <c>path start end [label]</c> (seconds; a
    /// path with spaces in double quotes; relative paths are relative to <paramref name="source"/>, or to the file's folder
    /// when <paramref name="source"/> is a file). Each becomes its own output, <c>stem_{start:06d}_{end:06d}</c> as
    /// mmaction2's Kinetics trimming names clips, under the label (or the video's folder) at level 2.
    /// </summary>
    public static DiscoveryResult DiscoverSegments(string segmentsFile, string source, int level, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(segmentsFile))
            throw new ToolkitError(segmentsFile, "no such segments file", "Pass a text file with lines 'path start end [label]' (seconds)");
        string baseDir = Directory.Exists(source) ? Path.GetFullPath(source) : Path.GetDirectoryName(Path.GetFullPath(segmentsFile))!;
        var problems = new List<DiscoveryProblem>();
        var videos = new List<VideoSource>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (lineNo, line) in Lines(segmentsFile, cancellationToken))
        {
            string where = $"{segmentsFile} line {lineNo}";
            var fields = SplitFields(line);
            if (fields.Count < 3
                || !double.TryParse(fields[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double start)
                || !double.TryParse(fields[2], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double end))
            {
                problems.Add(new DiscoveryProblem(line, $"{where} is not 'path start end [label]' (seconds); fix the line"));
                continue;
            }
            if (!double.IsFinite(start) || !double.IsFinite(end) || start < 0 || end <= start)
            {
                problems.Add(new DiscoveryProblem(line, $"{where}: the segment {fields[1]}..{fields[2]} s is empty or negative; the end must come after the start"));
                continue;
            }
            string? path = Resolve(baseDir, fields[0]);
            if (path is null)
            {
                problems.Add(new DiscoveryProblem(fields[0], $"listed in {where} but not found; fix the path (relative paths are relative to {baseDir})"));
                continue;
            }
            var segment = new TimeSegment(start, end);
            string stem = Path.GetFileNameWithoutExtension(path) + segment.Suffix;
            string? cls = null;
            if (level == 2)
            {
                cls = fields.Count >= 4 ? string.Join(' ', fields.Skip(3)) : Path.GetFileName(Path.GetDirectoryName(path)); // "air drumming"
                if (string.IsNullOrEmpty(cls))
                {
                    problems.Add(new DiscoveryProblem(line, $"{where}: level 2 needs a class: add a label column or use --level 1"));
                    continue;
                }
            }
            string output = cls is null ? FolderName(stem) : $"{FolderName(cls)}/{FolderName(stem)}";
            if (owners.TryGetValue(output, out string? first))
            {
                if (first != where)
                    problems.Add(new DiscoveryProblem(line, $"{where}: its output folder '{output}' is already taken by {first}; remove the duplicate segment"));
                continue;
            }
            owners[output] = where;
            string key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{fields[0].Replace('\\', '/')}@{start:R}-{end:R}");
            videos.Add(new VideoSource(path, key, output, cls, segment));
        }
        return new DiscoveryResult(videos, problems);
    }

    /// <summary>Whitespace-separated fields; a field in double quotes may hold spaces.</summary>
    private static List<string> SplitFields(string line)
    {
        var fields = new List<string>();
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
                i++;
            if (i >= line.Length)
                break;
            if (line[i] == '"')
            {
                int close = line.IndexOf('"', i + 1);
                if (close < 0)
                    close = line.Length;
                fields.Add(line[(i + 1)..close]);
                i = close + 1;
            }
            else
            {
                int start = i;
                while (i < line.Length && !char.IsWhiteSpace(line[i]))
                    i++;
                fields.Add(line[start..i]);
            }
        }
        return fields;
    }

    /// <summary>
    /// <see cref="Discover"/> on its own thread, awaited with the token: a list that is a pipe with no writer yet, or a
    /// hung network mount, blocks inside a system call that no token reaches, and an interrupt must still end the wait.
    /// </summary>
    public static Task<DiscoveryResult> DiscoverAsync(string source, int level, IReadOnlyCollection<string>? extensions, string? exclude, CancellationToken cancellationToken) =>
        OffThread(() => Discover(source, level, extensions, exclude, cancellationToken), cancellationToken);

    /// <summary><see cref="DiscoverSegments"/> on its own thread, awaited with the token (see <see cref="DiscoverAsync"/>).</summary>
    public static Task<DiscoveryResult> DiscoverSegmentsAsync(string segmentsFile, string source, int level, CancellationToken cancellationToken) =>
        OffThread(() => DiscoverSegments(segmentsFile, source, level, cancellationToken), cancellationToken);

    private static Task<DiscoveryResult> OffThread(Func<DiscoveryResult> discover, CancellationToken cancellationToken) =>
        Task.Run(discover, cancellationToken).WaitAsync(cancellationToken);

    /// <summary>
    /// The output folder for a class or video name: every whitespace character becomes '_', because mmaction2's lists
    /// are split on whitespace (<c>frame_dir total_frames label</c>) and a folder "playing guitar/x" would read as three
    /// fields. This is what mmaction2's own Kinetics preparation does (<c>rename_classnames.sh</c>). The class name
    /// itself, with its spaces, stays in the manifest and the label map.
    /// </summary>
    public static string FolderName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.Create(name.Length, name, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
                span[i] = char.IsWhiteSpace(source[i]) ? '_' : source[i];
        });
    }

    private static List<(string, string, string?)> FromFolder(string root, IReadOnlyCollection<string>? extensions, string? exclude, List<DiscoveryProblem> problems, CancellationToken cancellationToken)
    {
        var result = new List<(string, string, string?)>();
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            ReturnSpecialDirectories = false,
        };
        // Every folder is walked once, whatever path reaches it: a link back up (a -> ..) or to a folder already walked is
        // reported once and not followed, so loops neither repeat videos nor make the walk exponential.
        var visited = new Dictionary<(ulong, ulong), string>();
        if (FileIdentity.Of(root) is { } rootId)
            visited[rootId] = root;
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string dir = pending.Pop();
            string[] files, dirs;
            try
            {
                files = Directory.GetFiles(dir, "*", options);
                dirs = Directory.GetDirectories(dir, "*", options);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new ToolkitError(dir, "permission denied while listing the source folder", "Give the user read and execute rights on it", e);
            }
            foreach (string file in files)
            {
                if (extensions is not null && !HasExtension(file, extensions))
                    continue;
                string rel = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                string? parentRel = Path.GetDirectoryName(rel);
                string? parent = string.IsNullOrEmpty(parentRel) ? null : Path.GetFileName(parentRel);
                result.Add((file, rel, parent));
            }
            foreach (string sub in dirs)
            {
                if (exclude is not null && string.Equals(Path.GetFullPath(sub), exclude, StringComparison.Ordinal))
                    continue;
                if (FileIdentity.Of(sub) is { } id)
                {
                    if (visited.TryGetValue(id, out var first))
                    {
                        problems.Add(new DiscoveryProblem(sub, $"a link to a folder already walked ({first}; a loop when it leads back up): not followed again, its videos are taken once"));
                        continue;
                    }
                    visited[id] = sub;
                }
                pending.Push(sub);
            }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Item2, b.Item2));
        return result;
    }

    private static List<(string, string, string?)> FromList(string listFile, List<DiscoveryProblem> problems, CancellationToken cancellationToken)
    {
        string baseDir = Path.GetDirectoryName(listFile)!;
        var result = new List<(string, string, string?)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lineNo, line) in Lines(listFile, cancellationToken))
        {
            string entry = line;
            string? path = Resolve(baseDir, entry);
            if (path is null)
            {
                // mmaction2 video lists are "path label": accept a trailing integer label.
                int space = line.LastIndexOfAny([' ', '\t']);
                if (space > 0 && int.TryParse(line.AsSpan(space + 1), out _))
                {
                    entry = line[..space].TrimEnd();
                    path = Resolve(baseDir, entry);
                }
            }
            if (path is null)
            {
                problems.Add(new DiscoveryProblem(line, $"listed in {listFile} line {lineNo} but not found; fix the path (relative paths are relative to the list file)"));
                continue;
            }
            // The key is the path as written, without the label: it decides the shard and becomes the path in video lists.
            string key = entry.Replace('\\', '/');
            if (!seen.Add(path))
                continue; // the same video listed twice (a copy-pasted line) is taken once, not reported as its own rival
            string? parent = Path.GetFileName(Path.GetDirectoryName(path));
            result.Add((path, key, string.IsNullOrEmpty(parent) ? null : parent));
        }
        return result;
    }

    /// <summary>The trimmed lines of a list file with their 1-based numbers, leaving out blank lines and # comments.</summary>
    private static IEnumerable<(int Number, string Text)> Lines(string file, CancellationToken cancellationToken)
    {
        int number = 0;
        foreach (string raw in File.ReadLines(file))
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            string line = raw.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
                yield return (number, line);
        }
    }

    private static string? Resolve(string baseDir, string entry)
    {
        string full = Path.GetFullPath(Path.IsPathRooted(entry) ? entry : Path.Combine(baseDir, entry));
        return File.Exists(full) ? full : null;
    }

    private static bool HasExtension(string file, IReadOnlyCollection<string> extensions)
    {
        string ext = Path.GetExtension(file).TrimStart('.');
        foreach (string e in extensions)
        {
            if (string.Equals(ext, e, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
