using System.Diagnostics;

namespace Toolkit.Ingest.Tests.Support;

/// <summary>
/// What some tests need from the machine, checked once. xunit 2 decides skips when it discovers tests, so these checks
/// back the <see cref="FactAttribute"/>/<see cref="TheoryAttribute"/> variants below: a test is skipped with the reason
/// only when the machine cannot run it, never because the product misbehaves.
/// </summary>
public static class Requirements
{
    private static readonly Lazy<string?> MountProblem = new(ProbeMount);

    /// <summary>libtoolkit_flow.so (TV-L1 and DIS) next to the test assembly, or why not.</summary>
    public static string? NativeShimMissing =>
        File.Exists(Path.Combine(AppContext.BaseDirectory, "libtoolkit_flow.so"))
            ? null
            : "libtoolkit_flow.so is not in the test output folder (built with -p:SkipNativeShim=true, or libopencv-contrib-dev missing); TV-L1 and DIS cannot run";

    /// <summary>Whether util-linux setpriv is there to run the CLI as user nobody.</summary>
    public static string? SetprivMissing =>
        !File.Exists("/usr/bin/setpriv") && !File.Exists("/bin/setpriv")
            ? "setpriv (util-linux) is not installed, so the CLI cannot be run as another user"
            : Environment.UserName != "root" && geteuid() != 0
                ? "the tests do not run as root, so they cannot switch to user nobody"
                : null;

    /// <summary>Whether this process may mount a tmpfs (root in a container that allows it), or why not.</summary>
    public static string? MountNotPermitted => MountProblem.Value;

    /// <summary>Path of setpriv.</summary>
    public static string Setpriv => File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : "/bin/setpriv";

    /// <summary>Mounts a tmpfs of <paramref name="size"/> at <paramref name="folder"/>; null on success, else mount's message.</summary>
    public static string? MountTmpfs(string folder, string size)
    {
        var (code, output) = Exec("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder]);
        return code == 0 ? null : $"mount -t tmpfs failed ({code}): {output.Trim()}";
    }

    /// <summary>Unmounts <paramref name="folder"/> (lazily, so an open file cannot keep it mounted).</summary>
    public static void Unmount(string folder) => Exec("umount", ["-l", folder]);

    private static string? ProbeMount()
    {
        if (geteuid() != 0)
            return "mounting a small tmpfs to fill needs root, and the tests do not run as root";
        string folder = Directory.CreateTempSubdirectory("toolkit-mount-probe-").FullName;
        try
        {
            string? problem = MountTmpfs(folder, "64k");
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

/// <summary>A fact that needs libtoolkit_flow.so (TV-L1, DIS).</summary>
public sealed class NativeShimFactAttribute : FactAttribute
{
    public NativeShimFactAttribute() => Skip = Requirements.NativeShimMissing;
}

/// <summary>A fact that runs the CLI as user nobody through setpriv.</summary>
public sealed class SetprivFactAttribute : FactAttribute
{
    public SetprivFactAttribute() => Skip = Requirements.SetprivMissing;
}

/// <summary>A fact that mounts a small tmpfs.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute() => Skip = Requirements.MountNotPermitted;
}
