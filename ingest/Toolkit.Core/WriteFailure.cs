namespace Toolkit.Core;

/// <summary>
/// A failed write in the user's terms: a full disk, a read-only file system (<c>mount -o ro</c>, common for datasets
/// on clusters), a permission, or whatever else the operating system said, with the path and what to do.
/// </summary>
public static class WriteFailure
{
    /// <summary>True when <paramref name="e"/> means the file system is mounted read-only (EROFS).</summary>
    public static bool IsReadOnly(IOException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.HResult == 30 || e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True for the exceptions a write can fail with (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>).</summary>
    public static bool Is(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>The error for failing to write <paramref name="path"/>.</summary>
    /// <param name="e">What the write threw.</param>
    /// <param name="path">The file or folder being written.</param>
    /// <param name="afterwards">What the user may rely on after fixing it (e.g. "completed videos are kept"); null for nothing.</param>
    public static ToolkitError Of(Exception e, string path, string? afterwards = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(path);
        var (reason, hint) = e switch
        {
            IOException io when DiskSpace.IsFull(io) => ("the disk is full (no space left on device)", "free space or choose another output folder"),
            IOException io when IsReadOnly(io) => ("cannot be written: the file system is read-only", "write to a writable folder (on a cluster, the job's scratch space), or remount it read-write"),
            UnauthorizedAccessException => ("cannot be written: permission denied", "give the user write rights on it, or choose another folder"),
            _ => ($"cannot be written ({e.Message})", "fix the file system or choose another folder"),
        };
        return new ToolkitError(path, reason, afterwards is null ? hint : $"{hint}; {afterwards}", e);
    }
}
