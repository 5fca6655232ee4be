namespace Toolkit.Estimator.Measurement;

/// <summary>
/// The temporary folder an estimate extracts its sample into (<c>toolkit-estimate-*</c> under the temp root), held with a
/// lock file for as long as the run lives. A run killed before it could delete its folder leaves it behind; the next
/// estimate on the same temp root removes every such folder whose lock nobody holds any more.
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    /// <summary>Name prefix of scratch folders.</summary>
    public const string Prefix = "toolkit-estimate-";

    private const string LockName = ".owner.lock";

    // A folder without a lock file is being created right now (or was left by an older toolkit): spared while young.
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    private readonly FileStream _lock;

    private ScratchFolder(string path, FileStream ownerLock)
    {
        Path = path;
        _lock = ownerLock;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Removes abandoned scratch folders under <paramref name="root"/>, then creates and locks a new one.</summary>
    public static ScratchFolder Create(string root)
    {
        RemoveAbandoned(root);
        string path = System.IO.Path.Combine(root, $"{Prefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        var ownerLock = new FileStream(System.IO.Path.Combine(path, LockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        return new ScratchFolder(path, ownerLock);
    }

    /// <summary>Deletes the scratch folders under <paramref name="root"/> that no live run holds; returns how many.</summary>
    public static int RemoveAbandoned(string root)
    {
        int removed = 0;
        if (!Directory.Exists(root))
            return 0;
        foreach (string folder in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            try
            {
                string lockPath = System.IO.Path.Combine(folder, LockName);
                if (!File.Exists(lockPath))
                {
                    if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) < Grace)
                        continue;
                }
                else
                {
                    // An exclusive lock is granted only when its owner is gone (the kernel drops a dead process's locks).
                    using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                }
                Directory.Delete(folder, recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // held by a live run, or not ours to delete: left alone
            }
        }
        return removed;
    }

    /// <summary>Releases the lock and deletes the folder (best effort).</summary>
    public void Dispose()
    {
        _lock.Dispose();
        try
        {
            if (Directory.Exists(Path))
                Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next estimate removes it.
        }
    }
}
