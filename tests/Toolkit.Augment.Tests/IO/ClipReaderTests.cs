using OpenCvSharp;
using Toolkit.Augment.IO;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests.IO;

[Trait("Category", "Integration")]
public sealed class ClipReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("augment-reader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RgbFolder_TakesEvenlySpacedFramesInNumericOrder()
    {
        for (int i = 1; i <= 10; i++)
        {
            using var m = new Mat(6, 8, MatType.CV_8UC3, Scalar.All(i * 20));
            Cv2.ImWrite(Path.Combine(_dir, $"img_{i:D5}.png"), m);
        }
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "ignored");

        using var clip = ClipReader.Read(_dir, 4);

        Assert.Equal(ClipKind.Rgb, clip.Kind);
        Assert.Equal([2, 4, 7, 9], clip.Frames.Select(f => (int)Cv2.Mean(f).Val0 / 20)); // segment middles: indices 1, 3, 6, 8 of 10
    }

    [Fact]
    public void FlowFolder_MergesXAndY()
    {
        for (int i = 1; i <= 3; i++)
        {
            using var x = new Mat(4, 5, MatType.CV_8UC1, Scalar.All(100 + i));
            using var y = new Mat(4, 5, MatType.CV_8UC1, Scalar.All(10 + i));
            Cv2.ImWrite(Path.Combine(_dir, $"flow_x_{i:D5}.png"), x);
            Cv2.ImWrite(Path.Combine(_dir, $"flow_y_{i:D5}.png"), y);
        }

        using var clip = ClipReader.Read(_dir, 8, ClipKind.Flow);

        Assert.Equal(3, clip.Frames.Count);
        Assert.Equal(MatType.CV_8UC2, clip.Type);
        Assert.Equal([102, 12], Synthetic.Bytes(clip.Frames[1])[..2]);
    }

    [Fact]
    public void Video_IsDecodedWithOpenCv()
    {
        string video = Path.Combine(_dir, "clip.mp4");
        Run("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=96x64:r=25", "-frames:v", "20", "-pix_fmt", "yuv420p", video);

        using var clip = ClipReader.Read(video, 5);

        Assert.Equal((96, 64, 5), (clip.Width, clip.Height, clip.Frames.Count));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Missing_EmptyFolder_AndNonVideo_NameThePathAndReason()
    {
        string missing = Path.Combine(_dir, "nope");
        Assert.Equal($"{missing}: no such video or rawframe folder", Assert.Throws<Core.ToolkitError>(() => ClipReader.Read(missing, 4)).Message);
        Assert.StartsWith($"{_dir}: no img_NNNNN.jpg frames", Assert.Throws<Core.ToolkitError>(() => ClipReader.Read(_dir, 4)).Message);
        string text = Path.Combine(_dir, "fake.mp4");
        File.WriteAllText(text, "not a video");
        Assert.StartsWith($"{text}: cannot be decoded", Assert.Throws<Core.ToolkitError>(() => ClipReader.Read(text, 4)).Message);
    }

    private static void Run(string tool, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(start)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} failed: {err}");
    }
}
