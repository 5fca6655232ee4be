using System.Runtime.InteropServices;

namespace Toolkit.Ingest.Discovery;

/// <summary>
/// The device and inode of a path (links followed), from glibc's <c>stat(2)</c>: what tells one file or folder from
/// another whatever path reaches it. st_dev and st_ino lead <c>struct stat</c> on x86-64 and aarch64 alike.
/// </summary>
internal static partial class FileIdentity
{
    /// <summary>(device, inode) of <paramref name="path"/>, or null when it cannot be read (missing, not Linux).</summary>
    public static unsafe (ulong Device, ulong Inode)? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        byte* buffer = stackalloc byte[512];
        try
        {
            return Stat(path, buffer) == 0 ? (*(ulong*)buffer, *(ulong*)(buffer + 8)) : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);
}
