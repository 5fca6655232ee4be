using System.Diagnostics;
using System.Globalization;

namespace Toolkit.Estimator.Tests;

/// <summary>Inputs of the estimator tests: an opencv-doc clip and ffmpeg lavfi clips made in a test's own folder (helpers copied from Toolkit.Ingest.Tests).</summary>
public static class TestVideos
{
    /// <summary>720x528, 270 frames with packed B-frames (ffmpeg repairs them and says so).</summary>
    public const string MegamindBuggy = "/usr/share/doc/opencv-doc/examples/data/Megamind_bugy.avi";

    /// <summary>An AVI whose container declares 444 frames of which 68 decode.</summary>
    public const string Tree = "/usr/share/doc/opencv-doc/examples/data/tree.avi";

    /// <summary>testsrc2 (moving colour pattern) of the given size and length, H.264.</summary>
    public static string TestPattern(string path, int width, int height, int frames) =>
        Ffmpeg(path, ["-f", "lavfi", "-i", $"testsrc2=s={width}x{height}:r=25", "-frames:v", Num(frames), "-pix_fmt", "yuv420p"]);

    /// <summary>
    /// A lavfi clip of the given source (e.g. <c>mandelbrot=s=160x120:r=25</c>), with optional temporal noise of strength
    /// <paramref name="noise"/> (0: none): content of very different compressibility for the accuracy tests.
    /// </summary>
    public static string Synthetic(string path, string source, int frames, int noise) =>
        Ffmpeg(path, ["-f", "lavfi", "-i", source, "-frames:v", Num(frames), "-vf", (noise > 0 ? $"noise=alls={Num(noise)}:allf=t," : "") + "format=yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23"]);

    /// <summary>An audio-only file (a 1 s sine) in an MP4 container.</summary>
    public static string AudioOnly(string path) =>
        Ffmpeg(path, ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", "-f", "mp4"]);

    /// <summary>An AVI whose video stream has a header (codec, 160x120) but not a single frame.</summary>
    public static string ZeroFrames(string path) =>
        Ffmpeg(path, ["-f", "lavfi", "-i", "testsrc2=s=160x120:r=25", "-frames:v", "0", "-c:v", "mpeg4", "-f", "avi"]);

    /// <summary>
    /// A Matroska file written as a stream (to a pipe, as a live recorder does): its frames decode but neither the
    /// container nor the stream states a duration, so ffprobe reports it as zero / N/A.
    /// </summary>
    public static string WithoutDuration(string path, int frames)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=25", "-frames:v", Num(frames),
                     "-pix_fmt", "yuv420p", "-c:v", "libx264", "-f", "matroska", "-"])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using (var file = File.Create(path))
            process.StandardOutput.BaseStream.CopyTo(file);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {stderr.Result}");
        return path;
    }

    /// <summary>Runs ffmpeg with <paramref name="args"/> writing <paramref name="path"/> (parent folders created).</summary>
    public static string Ffmpeg(string path, IEnumerable<string> args)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["-nostdin", "-v", "error", "-y", .. args, path])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {stderr.Result}");
        return path;
    }

    /// <summary>The first <paramref name="fraction"/> of <paramref name="source"/>'s bytes, written to <paramref name="path"/>.</summary>
    public static string Truncated(string source, string path, double fraction)
    {
        byte[] bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(path, bytes.AsSpan(0, (int)(bytes.Length * fraction)).ToArray());
        return path;
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A temporary folder removed at the end of the test.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates it.</summary>
    public TempFolder() => Directory.CreateDirectory(Path);

    /// <summary>Its path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "estimator-tests-" + Guid.NewGuid().ToString("N"));

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
