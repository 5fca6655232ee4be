namespace Toolkit.Tests.Support;

/// <summary>
/// What some tests need from the machine, checked once. xunit 2 decides skips when it discovers tests, so these checks
/// back the <see cref="FactAttribute"/>/<see cref="TheoryAttribute"/> variants below: a test is skipped with the reason
/// only when the machine cannot run it, never because the product misbehaves.
/// </summary>
public static class Requirements
{
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

    /// <summary>The setpriv binary (util-linux).</summary>
    public static string Setpriv => File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : "/bin/setpriv";

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
