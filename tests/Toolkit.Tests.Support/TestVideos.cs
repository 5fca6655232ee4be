using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;

namespace Toolkit.Tests.Support;

/// <summary>
/// Every video the tests use (ingest, estimator): real clips shipped by Debian's opencv-doc (recorded by others, with
/// their real defects), and clips synthesized on demand with ffmpeg's lavfi sources into a test's own temporary folder.
/// </summary>
/// <remarks>
/// Real inputs (frame counts as <c>ffprobe -count_frames</c> reports them):
/// <list type="bullet">
/// <item><see cref="Tree"/>: cinepak 320x240, 68 frames, but the AVI header declares 444. Cheap; the default real clip.</item>
/// <item><see cref="MegamindBuggy"/>: MPEG-4 Part 2 720x528, 270 frames stored as "packed B-frames", which ffmpeg repairs
/// and reports.</item>
/// <item><see cref="Megamind"/>: the same clip, stored correctly.</item>
/// <item><see cref="Vtest"/>: msmpeg4v3 768x576, 795 frames. Expensive: use sparingly.</item>
/// <item><see cref="BoxGz"/>: H.264 640x480 in MP4, gzipped; 456 frames declared, 455 decodable. <see cref="GunzipBox"/>.</item>
/// </list>
/// </remarks>
public static class TestVideos
{
    /// <summary>opencv-doc's sample data folder.</summary>
    public const string DataFolder = "/usr/share/doc/opencv-doc/examples/data";

    /// <summary>768x576, 795 frames (msmpeg4v3).</summary>
    public const string Vtest = DataFolder + "/vtest.avi";

    /// <summary>320x240, 68 frames (cinepak); its header declares 444.</summary>
    public const string Tree = DataFolder + "/tree.avi";

    /// <summary>720x528, 270 frames (MPEG-4 Part 2).</summary>
    public const string Megamind = DataFolder + "/Megamind.avi";

    /// <summary>720x528, 270 frames with packed B-frames (ffmpeg repairs them and says so).</summary>
    public const string MegamindBuggy = DataFolder + "/Megamind_bugy.avi";

    /// <summary>Gzipped H.264 MP4, 640x480.</summary>
    public const string BoxGz = "/usr/share/doc/opencv-doc/opencv4/html/box.mp4.gz";

    /// <summary>Another real H.264 clip shipped gzip-compressed with the OpenCV docs.</summary>
    public const string CupGz = "/usr/share/doc/opencv-doc/opencv4/html/cup.mp4.gz";

    /// <summary>Fails with a clear message when a real input is missing (opencv-doc not installed).</summary>
    public static string Require(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing: install opencv-doc (apt-get install opencv-doc, or ./setup.sh)");
        return path;
    }

    /// <summary>Decompresses box.mp4.gz to <paramref name="folder"/>/box.mp4 and returns its path.</summary>
    public static string GunzipBox(string folder)
    {
        string target = Path.Combine(folder, "box.mp4");
        using var input = new GZipStream(File.OpenRead(Require(BoxGz)), CompressionMode.Decompress);
        using var output = File.Create(target);
        input.CopyTo(output);
        return target;
    }

    /// <summary>
    /// testsrc2 (moving colour pattern, counter): <paramref name="frames"/> frames of <paramref name="width"/>x<paramref name="height"/>
    /// at 25 fps, H.264 yuv420p unless the extension asks otherwise. <paramref name="moovFirst"/> writes an MP4 index at the start.
    /// </summary>
    public static string TestPattern(string path, int width = 160, int height = 120, int frames = 64, bool moovFirst = false)
    {
        var args = new List<string> { "-f", "lavfi", "-i", $"testsrc2=s={width}x{height}:r=25", "-frames:v", Num(frames), "-pix_fmt", "yuv420p" };
        if (moovFirst)
            args.AddRange(["-movflags", "+faststart"]);
        return Ffmpeg(path, args);
    }

    /// <summary>
    /// A phone-style clip: <paramref name="width"/>x<paramref name="height"/> frames stored as they are, with a display
    /// matrix that turns them by <paramref name="rotation"/> degrees (the MP4 muxer's <c>rotate</c> tag, stream-copied).
    /// </summary>
    public static string Rotated(string path, int width, int height, int rotation, int frames = 10)
    {
        string plain = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".plain-{Path.GetFileName(path)}");
        TestPattern(plain, width, height, frames);
        Ffmpeg(path, ["-i", plain, "-c", "copy", "-metadata:s:v:0", $"rotate={Num(rotation)}"]);
        File.Delete(plain);
        return path;
    }

    /// <summary>
    /// Every real sample video (opencv-doc's vtest, tree, Megamind, Megamind_bugy, box, cup) plus synthetic ones: an odd
    /// size, an MJPEG AVI (full-range source) and a VP9 WebM. Compressed ones are unpacked into <paramref name="folder"/>.
    /// </summary>
    public static IReadOnlyList<string> AllSamples(string folder)
    {
        Directory.CreateDirectory(folder);
        string cup = Path.Combine(folder, "cup.mp4");
        using (var input = new GZipStream(File.OpenRead(Require(CupGz)), CompressionMode.Decompress))
        using (var output = File.Create(cup))
            input.CopyTo(output);
        return
        [
            Require(Vtest), Require(Tree), Require(Megamind), Require(MegamindBuggy), GunzipBox(folder), cup,
            TestPattern(Path.Combine(folder, "odd 161x97.mp4"), 161, 97, frames: 12),
            Ffmpeg(Path.Combine(folder, "mjpeg.avi"), ["-f", "lavfi", "-i", "testsrc2=s=176x144:r=25", "-frames:v", "8", "-c:v", "mjpeg", "-pix_fmt", "yuvj422p"]),
            Ffmpeg(Path.Combine(folder, "vp9.webm"), ["-f", "lavfi", "-i", "mandelbrot=s=128x96:r=25", "-frames:v", "8", "-c:v", "libvpx-vp9", "-deadline", "realtime"]),
        ];
    }

    /// <summary>mandelbrot (a zoom: every frame differs everywhere): a textured clip for flow and for size.</summary>
    public static string Mandelbrot(string path, int width = 160, int height = 120, int frames = 64) =>
        Ffmpeg(path, ["-f", "lavfi", "-i", $"mandelbrot=s={width}x{height}:r=25", "-frames:v", Num(frames), "-pix_fmt", "yuv420p"]);

    /// <summary>
    /// A lavfi clip of the given source (e.g. <c>mandelbrot=s=160x120:r=25</c>), with optional temporal noise of strength
    /// <paramref name="noise"/> (0: none): content of very different compressibility for the accuracy tests.
    /// </summary>
    public static string Synthetic(string path, string source, int frames, int noise) =>
        Ffmpeg(path, ["-f", "lavfi", "-i", source, "-frames:v", Num(frames), "-vf", (noise > 0 ? $"noise=alls={Num(noise)}:allf=t," : "") + "format=yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23"]);

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

    /// <summary>An audio-only file (a 1 s sine) in an MP4 container.</summary>
    public static string AudioOnly(string path) =>
        Ffmpeg(path, ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", "-f", "mp4"]);

    /// <summary>An AVI whose video stream has a header (codec, 160x120) but not a single frame.</summary>
    public static string ZeroFrames(string path) =>
        Ffmpeg(path, ["-f", "lavfi", "-i", "testsrc2=s=160x120:r=25", "-frames:v", "0", "-c:v", "mpeg4", "-f", "avi"]);

    /// <summary>
    /// A static texture seen through a window that moves (<paramref name="windowDx"/>, <paramref name="windowDy"/>) pixels
    /// per frame, so the content moves by exactly (−windowDx, −windowDy): the ground truth for optical flow.
    /// The texture is smoothed noise (detail at every position and at the scales a flow pyramid sees), stored losslessly
    /// (FFV1 in Matroska) so compression adds no motion artefacts.
    /// </summary>
    public static string Translating(string path, int windowDx, int windowDy, int width = 256, int height = 192, int frames = 8)
    {
        int margin = 8 + frames * Math.Max(Math.Abs(windowDx), Math.Abs(windowDy));
        int x0 = windowDx < 0 ? margin : 0, y0 = windowDy < 0 ? margin : 0;
        string source = $"color=c=gray:s={width + margin}x{height + margin}:r=25,noise=alls=100:allf=u,gblur=sigma=1.5,trim=end_frame=1,loop=loop=-1:size=1:start=0";
        string crop = $"crop={width}:{height}:x='{x0}+({windowDx})*n':y='{y0}+({windowDy})*n'";
        return Ffmpeg(path, ["-f", "lavfi", "-i", source, "-vf", crop, "-frames:v", Num(frames), "-c:v", "ffv1", "-pix_fmt", "yuv444p"]);
    }

    /// <summary>The frames ffprobe decodes when it counts them (<c>-count_frames</c>): the oracle for frame counts.</summary>
    public static int CountFrames(string path)
    {
        string text = Run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path]);
        return int.Parse(text.Trim().Split('\n')[0].Trim().TrimEnd(','), CultureInfo.InvariantCulture);
    }

    /// <summary>The first <paramref name="fraction"/> of <paramref name="source"/>'s bytes, written to <paramref name="path"/>.</summary>
    public static string Truncated(string source, string path, double fraction)
    {
        byte[] bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(path, bytes.AsSpan(0, (int)(bytes.Length * fraction)).ToArray());
        return path;
    }

    /// <summary>Runs ffmpeg with <paramref name="args"/> writing <paramref name="path"/> (parent folders created).</summary>
    public static string Ffmpeg(string path, IEnumerable<string> args)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Run("ffmpeg", ["-nostdin", "-v", "error", "-y", .. args, path]);
        return path;
    }

    /// <summary>Runs a tool to completion and returns its standard output; fails the test with its stderr otherwise.</summary>
    public static string Run(string tool, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
