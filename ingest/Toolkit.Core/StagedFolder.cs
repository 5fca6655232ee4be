namespace Toolkit.Core;

/// <summary>
/// A folder written whole or not at all: its files go into a hidden sibling (<c>.NAME.partial-…</c>) that
/// <see cref="Commit"/> renames into place, replacing an earlier folder as a whole; disposed uncommitted, the staging
/// folder is removed. A crash at any point leaves either the old folder or the new one, never a mix, and at worst a
/// hidden <c>.partial</c> folder nothing reads.
/// </summary>
public sealed class StagedFolder : IDisposable
{
    private bool _committed;

    private StagedFolder(string target, string staging)
    {
        Target = target;
        Path = staging;
    }

    /// <summary>The folder the result goes to.</summary>
    public string Target { get; }

    /// <summary>The hidden staging folder to write into.</summary>
    public string Path { get; }

    /// <summary>Creates the staging folder beside <paramref name="target"/> (and the target's parent when missing).</summary>
    /// <exception cref="IOException">The parent cannot be written (see <see cref="WriteFailure"/> for the user's error).</exception>
    /// <exception cref="UnauthorizedAccessException">No rights on the parent.</exception>
    public static StagedFolder Create(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        target = System.IO.Path.GetFullPath(System.IO.Path.TrimEndingDirectorySeparator(target));
        string parent = System.IO.Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        var staged = new StagedFolder(target, HiddenSibling(target, "partial"));
        Directory.CreateDirectory(staged.Path);
        return staged;
    }

    /// <summary>A hidden, unique sibling path of <paramref name="path"/>: <c>.NAME.TAG-GUID</c> in the same folder.</summary>
    public static string HiddenSibling(string path, string tag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = System.IO.Path.GetFullPath(System.IO.Path.TrimEndingDirectorySeparator(path));
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full) ?? ".", $".{System.IO.Path.GetFileName(full)}.{tag}-{Guid.NewGuid():N}");
    }

    /// <summary>Renames the complete staging folder into place; an existing target is moved aside first and deleted after.</summary>
    public void Commit()
    {
        if (_committed)
            throw new InvalidOperationException("already committed");
        if (Directory.Exists(Target))
        {
            string old = HiddenSibling(Target, "old");
            Directory.Move(Target, old);
            Directory.Move(Path, Target);
            _committed = true;
            TryDelete(old);
        }
        else
        {
            Directory.Move(Path, Target);
            _committed = true;
        }
    }

    /// <summary>Removes the staging folder unless it was committed (best effort: a failure leaves a hidden folder).</summary>
    public void Dispose()
    {
        if (!_committed)
            TryDelete(Path);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind hidden: never read, and the error that brought us here (if any) is the one to report.
        }
    }
}
