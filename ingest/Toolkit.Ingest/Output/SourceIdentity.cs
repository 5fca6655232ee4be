using System.Runtime.InteropServices;

namespace Toolkit.Ingest.Output;

/// <summary>
/// What identifies a source file's content cheaply: size, modification time and inode (of the final target of a
/// link). Taken before a video is probed and again when it is committed: any difference means the file was replaced
/// or rewritten while it was read, and the video is not recorded as complete.
/// </summary>
/// <param name="Size">Bytes.</param>
/// <param name="MtimeMs">Modification time, Unix milliseconds (UTC).</param>
/// <param name="Inode">Inode number, 0 where it cannot be read.</param>
public readonly partial record struct SourceIdentity(long Size, long MtimeMs, ulong Inode)
{
    /// <summary>The identity of <paramref name="path"/> now; null when it does not exist.</summary>
    public static SourceIdentity? Of(string path)
    {
        var info = OutputStore.SourceFile(path);
        info.Refresh();
        if (!info.Exists)
            return null;
        return new SourceIdentity(info.Length, info.LastWriteTimeUtc.ToUnixTimeMilliseconds(), InodeOf(info.FullName));
    }

    /// <summary>One line for a message: <c>size 1234, mtime 2026-12-06T03:00:00.000Z, inode 42</c>.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"size {Size}, mtime {DateTimeOffset.FromUnixTimeMilliseconds(MtimeMs):yyyy-MM-ddTHH:mm:ss.fffZ}, inode {Inode}");

    // glibc's stat(2): st_dev then st_ino lead struct stat on x86-64 and aarch64 alike (the fields read here).
    private static unsafe ulong InodeOf(string path)
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        byte* buffer = stackalloc byte[512];
        try
        {
            return Stat(path, buffer) == 0 ? *(ulong*)(buffer + 8) : 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return 0;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);
}
