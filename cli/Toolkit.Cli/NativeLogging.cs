using System.Runtime.InteropServices;

namespace Toolkit.Cli;

/// <summary>
/// Keeps OpenCV's own log lines (<c>[ WARN:0@0.017] global cap.cpp:215 open VIDEOIO(FFMPEG): …</c>) and the FFmpeg
/// copy inside OpenCvSharp's runtime (<c>[mov,mp4,… @ 0x…] moov atom not found</c>) off the terminal: every failure
/// they describe reaches the user as the toolkit's own one-line error. A user who wants them sets the variables.
/// </summary>
/// <remarks>
/// OpenCV reads <c>OPENCV_LOG_LEVEL</c> and <c>OPENCV_FFMPEG_LOGLEVEL</c> with the C library's <c>getenv</c>, which
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach on Linux, so they are set with
/// <c>setenv</c>, once, before any other thread starts. The toolkit's own libav shim links the system FFmpeg, a
/// different copy with its own log callback, and is not affected.
/// </remarks>
internal static class NativeLogging
{
    /// <summary>Sets the defaults unless the user set the variables.</summary>
    public static void QuietOpenCv()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        SetDefault("OPENCV_LOG_LEVEL", "ERROR");   // no WARN lines; real errors still surface as exceptions we report
        SetDefault("OPENCV_FFMPEG_LOGLEVEL", "-8"); // AV_LOG_QUIET for OpenCvSharp's bundled FFmpeg
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
