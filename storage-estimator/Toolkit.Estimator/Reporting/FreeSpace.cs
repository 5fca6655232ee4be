using System.Runtime.InteropServices;
using Toolkit.Core;

namespace Toolkit.Estimator.Reporting;

/// <summary>Free bytes and inodes of a file system (statvfs), and the check of a plan against them.</summary>
public static partial class FreeSpace
{
    [StructLayout(LayoutKind.Sequential)]
    private struct StatVfs
    {
        public ulong BlockSize, FragmentSize, Blocks, BlocksFree, BlocksAvailable, Files, FilesFree, FilesAvailable, FsId, Flags, NameMax;
        public int Spare0, Spare1, Spare2, Spare3, Spare4, Spare5;
    }

    [LibraryImport("libc.so.6", EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Native(string path, out StatVfs result);

    /// <summary>Bytes and inodes available to an unprivileged user on the file system holding <paramref name="path"/> (inodes null when it has no fixed count, e.g. btrfs).</summary>
    /// <exception cref="ToolkitError">The folder does not exist or cannot be queried.</exception>
    public static (long FreeBytes, long? FreeFiles) Query(string path)
    {
        var (bytes, files, _) = QueryWithBlockSize(path);
        return (bytes, files);
    }

    /// <summary>As <see cref="Query"/>, with the file system's block size (statvfs <c>f_bsize</c>).</summary>
    /// <exception cref="ToolkitError">The folder does not exist or cannot be queried.</exception>
    public static (long FreeBytes, long? FreeFiles, int BlockSize) QueryWithBlockSize(string path)
    {
        string probe = Path.GetFullPath(path);
        // A folder that does not exist has no file system yet: guessing a parent's would report another disk whenever a
        // mount point is still missing (an unmounted /mnt/data reads as the root file system).
        if (!Directory.Exists(probe))
        {
            throw new ToolkitError(path, File.Exists(probe) ? "is a file, not a folder" : "no such folder",
                "Create the output folder first (mkdir -p), on the disk it will be written to, so its file system can be read");
        }
        if (!OperatingSystem.IsLinux())
            throw new ToolkitError(path, "free-space check needs Linux (statvfs)");
        if (Native(probe, out var s) != 0)
            throw new ToolkitError(path, $"cannot read the file system's free space (errno {Marshal.GetLastPInvokeError()})");
        long bytes = (long)Math.Min((double)long.MaxValue, (double)s.BlocksAvailable * s.FragmentSize);
        long? files = s.Files == 0 ? null : (long)Math.Min(long.MaxValue, s.FilesAvailable);
        int block = s.BlockSize is > 0 and <= 1 << 24 ? (int)s.BlockSize : Allocation.DefaultBlockSize;
        return (bytes, files, block);
    }

    /// <summary>Checks the format that <paramref name="report"/>'s task writes against <paramref name="target"/>'s file system.</summary>
    public static FreeSpaceCheck Check(EstimateReport report, string target)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (freeBytes, freeFiles) = Query(target);
        string format = FormatNames.Of(report.Settings.Task);
        var f = report.Formats[format];
        long content = f.Bytes ?? 0;
        long upper = f.BytesCi95 is { } ci ? ci[1] : content;
        // Whole blocks: the allocated bytes, scaled up to the interval's upper end in the same proportion.
        long needBytes = f.AllocatedBytes is not { } allocated || content <= 0 ? upper
                       : upper == content ? allocated
                       : (long)Math.Ceiling((double)upper / content * allocated);
        long needFiles = f.Files + report.Videos; // one folder per video
        return new FreeSpaceCheck(Path.GetFullPath(target), format, needBytes, needFiles, freeBytes, freeFiles, needBytes <= freeBytes, freeFiles is not { } ff || needFiles <= ff);
    }
}
