using System.Runtime.InteropServices;

namespace Toolkit.Cli;

/// <summary>
/// Environment defaults for the native libraries, set before any of them loads. A user who wants otherwise sets the
/// variables; they are never overwritten.
/// <list type="bullet">
/// <item>Quiet OpenCV: its own log lines (<c>[ WARN:0@0.017] global cap.cpp:215 open VIDEOIO(FFMPEG): …</c>) and the
/// FFmpeg copy inside OpenCvSharp's runtime (<c>[mov,mp4,… @ 0x…] moov atom not found</c>) stay off the terminal: every
/// failure they describe reaches the user as the toolkit's own one-line error.</item>
/// <item>One OpenBLAS thread: Debian's OpenCV video module (DIS, TV-L1) links OpenBLAS through its dnn and calib3d
/// dependencies, and OpenBLAS starts a thread per core when it loads, which spin in <c>sched_yield</c> for a while
/// (about 0.1 s of CPU per run, 2,800 calls). No toolkit code path calls BLAS through it; libtorch has its own.</item>
/// </list>
/// </summary>
/// <remarks>
/// These libraries read the variables with the C library's <c>getenv</c>, which
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach on Linux, so they are set with
/// <c>setenv</c>, once, before any other thread starts. The toolkit's own libav shim links the system FFmpeg, a
/// different copy with its own log callback, and is not affected.
/// </remarks>
internal static class NativeEnvironment
{
    /// <summary>Sets the defaults unless the user set the variables.</summary>
    public static void SetDefaults()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        SetDefault("OPENCV_LOG_LEVEL", "ERROR");   // no WARN lines; real errors still surface as exceptions we report
        SetDefault("OPENCV_FFMPEG_LOGLEVEL", "-8"); // AV_LOG_QUIET for OpenCvSharp's bundled FFmpeg
        SetDefault("OPENBLAS_NUM_THREADS", "1");
    }

    private static void SetDefault(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is not null)
            return;
        try
        {
            _ = SetEnv(name, value, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (the library is named otherwise): OpenCV's log lines may show, nothing else changes.
        }
    }

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
