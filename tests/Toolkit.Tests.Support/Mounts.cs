using System.Diagnostics;

namespace Toolkit.Tests.Support;

/// <summary>
/// Small tmpfs mounts for failure tests: a disk that fills, a file system mounted read-only. They need root in a
/// machine or container that allows mounting; <see cref="NotPermitted"/> says why not, once, for the skip reason.
/// </summary>
public static class Mounts
{
    private static readonly Lazy<string?> Problem = new(Probe);

    /// <summary>Null when this process may mount a tmpfs (root where it is allowed), else why not.</summary>
    public static string? NotPermitted => Problem.Value;

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. <c>2m</c>) on <paramref name="folder"/>; null or the failure.</summary>
    public static string? Tmpfs(string folder, string size, bool readOnly = false)
    {
        var (code, output) = Exec("mount", ["-t", "tmpfs", "-o", readOnly ? $"ro,size={size}" : $"size={size}", "tmpfs", folder]);
        return code == 0 ? null : $"mount -t tmpfs failed ({code}): {output.Trim()}";
    }

    /// <summary>Unmounts <paramref name="folder"/> (lazily, so an open file cannot keep it mounted).</summary>
    public static void Unmount(string folder) => Exec("umount", ["-l", folder]);

    private static string? Probe()
    {
        if (geteuid() != 0)
            return "mounting a small tmpfs needs root, and the tests do not run as root";
        string folder = Directory.CreateTempSubdirectory("toolkit-mount-probe-").FullName;
        try
        {
            string? problem = Tmpfs(folder, "64k");
            if (problem is not null)
                return $"this machine does not allow mounting a tmpfs ({problem})";
            Unmount(folder);
            return null;
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    private static (int Code, string Output) Exec(string tool, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}

/// <summary>A fact that mounts a small tmpfs (skipped, with the reason, where mounting is not allowed).</summary>
public sealed class MountFactAttribute : Xunit.FactAttribute
{
    public MountFactAttribute() => Skip = Mounts.NotPermitted;
}
