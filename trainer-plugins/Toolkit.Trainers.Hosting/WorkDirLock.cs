using System.Globalization;
using Toolkit.Core;

namespace Toolkit.Trainers.Hosting;

/// <summary>
/// One training run per work dir: an exclusive lock on <c>WORK_DIR/.toolkit-train.lock</c> (an OS file lock, so the
/// kernel releases it when the holder dies: a killed run's lock is simply taken over), and
/// <c>.toolkit-train.owner</c> naming the holder's pid and start time for the message a second run prints.
/// </summary>
public sealed class WorkDirLock : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string LockFileName = ".toolkit-train.lock";

    /// <summary>The file naming the holder.</summary>
    public const string OwnerFileName = ".toolkit-train.owner";

    private readonly FileStream _lock;

    private WorkDirLock(FileStream stream) => _lock = stream;

    /// <summary>Takes the lock of <paramref name="workDir"/> (created if missing).</summary>
    /// <exception cref="ToolkitError">Another run holds it (its pid is named), or the folder cannot be written.</exception>
    public static WorkDirLock Acquire(string workDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDir);
        try
        {
            Directory.CreateDirectory(workDir);
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            throw WriteFailure.Of(e, workDir, "nothing was written");
        }
        string path = Path.Combine(workDir, LockFileName);
        string owner = Path.Combine(workDir, OwnerFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (!WriteFailure.IsReadOnly(e) && !DiskSpace.IsFull(e))
        {
            string holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "an unknown process";
            throw new ToolkitError(workDir, $"another toolkit train is using this work dir ({holder}; lock {path})",
                "wait for it to finish, stop it, or use another --work-dir (two runs in one work dir would mix their checkpoints and metrics)");
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            throw WriteFailure.Of(e, workDir, "nothing was written");
        }
        try
        {
            File.WriteAllText(owner, string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}, started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC"));
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            stream.Dispose();
            throw WriteFailure.Of(e, workDir);
        }
        return new WorkDirLock(stream);
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();
}
