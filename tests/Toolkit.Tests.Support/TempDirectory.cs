namespace Toolkit.Tests.Support;

/// <summary>
/// A fresh folder under the system temp folder for one test (or one fixture), deleted with everything in it on
/// <see cref="Dispose"/> (kept when TOOLKIT_KEEP_TEST_DIRS is set, for debugging). Mode 0755 so a test that runs the
/// CLI as another user (nobody) can reach what it needs. The one temporary folder type of every test project.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    private readonly List<Action> _cleanups = [];

    public TempDirectory(string prefix = "toolkit-tests-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
    }

    /// <summary>Absolute path of the folder.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder (not created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Creates a subfolder (and its parents) and returns its path.</summary>
    public string CreateFolder(params string[] parts) => Directory.CreateDirectory(Combine(parts)).FullName;

    /// <summary>Runs <paramref name="cleanup"/> before the folder is deleted (e.g. unmounting a file system inside it).</summary>
    public void OnDispose(Action cleanup) => _cleanups.Add(cleanup);

    public void Dispose()
    {
        for (int i = _cleanups.Count - 1; i >= 0; i--)
            _cleanups[i]();
        if (Environment.GetEnvironmentVariable("TOOLKIT_KEEP_TEST_DIRS") is { Length: > 0 })
            return;
        try
        {
            if (Directory.Exists(Path))
            {
                // Folders a test made read-only must be writable again to be deleted. Links are not followed (a test may
                // make link loops).
                var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
                foreach (var dir in new DirectoryInfo(Path).EnumerateDirectories("*", walk))
                {
                    if (dir.LinkTarget is null)
                        dir.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                }
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A process the test started may still be closing files; the system temp folder is cleaned eventually.
        }
    }
}
