using OpenCvSharp;
using Toolkit.Augment;
using Toolkit.Core;
using Toolkit.Ingest.Imaging;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Tests.Support;

namespace Toolkit.Loaders.Tests.Datasets;

/// <summary>The rawframe loader's TurboJPEG path against OpenCV's <c>imdecode</c>: the same pixels, the same failures.</summary>
[Trait("Category", "Integration")]
public sealed class JpegDecodingTests
{
    private const string Samples = "/usr/share/doc/opencv-doc/examples/data";

    /// <summary>
    /// Real photographs (opencv-doc's JPEGs, as their authors encoded them: 4:2:0, 4:4:4, grey, progressive or not),
    /// and the same images re-encoded the way toolkit extract writes rawframes, as frames of one folder.
    /// </summary>
    private static (RawframeDataset Turbo, RawframeDataset OpenCv, int Frames) Folder(string root, ClipKind kind = ClipKind.Rgb)
    {
        string dir = Path.Combine(root, "v");
        Directory.CreateDirectory(dir);
        var files = Directory.GetFiles(Samples, "*.jpg").Order(StringComparer.Ordinal).Take(12).ToList();
        Assert.True(files.Count >= 8, $"opencv-doc's sample JPEGs are missing from {Samples} (apt-get install opencv-doc)");
        int n = 0;
        foreach (string file in files)
        {
            foreach (bool reencode in new[] { false, true })
            {
                n++;
                string name = kind == ClipKind.Rgb ? $"img_{n:D5}.jpg" : $"flow_x_{n:D5}.jpg";
                if (reencode)
                {
                    using var image = Cv2.ImRead(file, ImreadModes.Color);
                    using var sized = image.Resize(new Size(340, 256));
                    Cv2.ImWrite(Path.Combine(dir, name), sized, [(int)ImwriteFlags.JpegQuality, 95]);
                }
                else
                {
                    File.Copy(file, Path.Combine(dir, name));
                }
                if (kind == ClipKind.Flow)
                    File.Copy(Path.Combine(dir, name), Path.Combine(dir, $"flow_y_{n:D5}.jpg"));
            }
        }
        var items = new[] { new DatasetItem(dir, n, [0], 1) };
        return (new RawframeDataset(items, new RawframeOptions { Kind = kind, Decoding = FrameDecoding.TurboJpeg }),
                new RawframeDataset(items, new RawframeOptions { Kind = kind, Decoding = FrameDecoding.OpenCv }), n);
    }

    [Theory]
    [InlineData(ClipKind.Rgb)]
    [InlineData(ClipKind.Flow)]
    public void TurboJpeg_GivesOpenCvsPixels_OnRealPhotographs(ClipKind kind)
    {
        Assert.Null(JpegDecoder.Unavailable);
        using var tmp = new TempDir();
        var (turbo, opencv, frames) = Folder(tmp.Path, kind);
        // Most frames must really go through TurboJPEG (a frame it refuses falls back to OpenCV and proves nothing).
        int direct = Enumerable.Range(1, frames).Count(f =>
        {
            bool ok = JpegDecoder.TryDecode(File.ReadAllBytes(turbo.FramePath(0, f)), kind == ClipKind.Flow, out var m, out _);
            m?.Dispose();
            return ok;
        });
        Assert.True(direct >= frames - 2, $"TurboJPEG decoded only {direct} of {frames} frames itself");
        // Sizes differ between the photographs: one frame per read.
        for (int f = 1; f <= frames; f++)
        {
            using var a = turbo.Read(0, [f]);
            using var b = opencv.Read(0, [f]);
            using var diff = new Mat();
            Cv2.Absdiff(a.Frames[0], b.Frames[0], diff);
            Assert.True(a.Frames[0].Size() == b.Frames[0].Size() && a.Frames[0].Type() == b.Frames[0].Type(), $"frame {f}: {a.Frames[0].Size()} {a.Frames[0].Type()} vs {b.Frames[0].Size()} {b.Frames[0].Type()}");
            Cv2.MinMaxLoc(diff.Reshape(1), out _, out double max);
            Assert.True(max == 0, $"{kind} frame {f} ({turbo.FramePath(0, f)}): TurboJPEG differs from OpenCV by up to {max}");
        }
    }

    [Fact]
    public void TurboJpeg_DecodesDirectly_AndHandsPngAndCmykToOpenCv()
    {
        Assert.True(JpegDecoder.TryDecode(File.ReadAllBytes(Path.Combine(Samples, "HappyFish.jpg")), gray: false, out var image, out string? problem), problem);
        using (image)
            Assert.Equal(MatType.CV_8UC3, image!.Type());
        // A stream it refuses (garbage after the start-of-image marker), then good ones again on every thread: a
        // decompressor that failed once used to fail the next stream with the old error.
        byte[] garbage = [0xFF, 0xD8, .. Enumerable.Range(0, 500).Select(i => (byte)(i * 7)), 0xFF, 0xD9];
        byte[] fish = File.ReadAllBytes(Path.Combine(Samples, "HappyFish.jpg"));
        Parallel.For(0, 64, i =>
        {
            if (i % 2 == 0)
            {
                Assert.False(JpegDecoder.TryDecode(garbage, gray: false, out var none, out string? why));
                Assert.Null(none);
                Assert.False(string.IsNullOrEmpty(why));
            }
            else
            {
                Assert.True(JpegDecoder.TryDecode(fish, gray: i % 4 == 1, out var good, out string? why), $"after a failed stream: {why}");
                good!.Dispose();
            }
        });
        // A PNG under a .jpg name (some tools write them): not a JPEG, so OpenCV decodes it.
        using var tmp = new TempDir();
        var (list, _) = Fixtures.Rawframes(tmp.Path, 1, 3);
        var ds = RawframeDataset.FromList(list, tmp.Path);
        string frame = ds.FramePath(0, 2);
        using (var original = Cv2.ImRead(frame, ImreadModes.Color))
            Cv2.ImWrite(frame + ".png", original);
        File.Move(frame + ".png", frame, overwrite: true);
        using var clip = ds.Read(0, [1, 2, 3]);
        using var png = Cv2.ImDecode(File.ReadAllBytes(frame), ImreadModes.Color);
        using var diff = new Mat();
        Cv2.Absdiff(clip.Frames[1], png, diff);
        Assert.Equal(0, Cv2.CountNonZero(diff.Reshape(1)));
    }

    [Theory]
    [InlineData("flipped")]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [Trait("Category", "Failure")]
    public void CorruptJpeg_SameOutcomeAsOpenCv_NeverAZeroFrame(string how)
    {
        using var tmp = new TempDir();
        var (list, _) = Fixtures.Rawframes(tmp.Path, 1, 5);
        var turbo = RawframeDataset.FromList(list, tmp.Path);
        var opencv = new RawframeDataset([turbo[0]], new RawframeOptions { Decoding = FrameDecoding.OpenCv });
        string bad = turbo.FramePath(0, 2);
        byte[] bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, how switch
        {
            // Entropy-coded data damaged mid-stream: libjpeg warns and decodes what it can.
            "flipped" => [.. bytes.Select((b, i) => i > bytes.Length / 2 && i < bytes.Length / 2 + 40 && b != 0xFF ? (byte)(b ^ 0x55) : b)],
            "truncated" => bytes[..(bytes.Length / 2)],
            _ => [0xFF, 0xD8, .. Enumerable.Range(0, 500).Select(i => (byte)(i * 7)), 0xFF, 0xD9],
        });
        Exception? turboError = Record.Exception(() => turbo.Read(0, [2]).Dispose());
        Exception? opencvError = Record.Exception(() => opencv.Read(0, [2]).Dispose());
        Assert.Equal(opencvError?.Message, turboError?.Message);
        if (turboError is not null)
        {
            Assert.Equal(bad, Assert.IsType<ToolkitError>(turboError).Subject);
            return;
        }
        using var a = turbo.Read(0, [2]);
        using var b = opencv.Read(0, [2]);
        using var diff = new Mat();
        Cv2.Absdiff(a.Frames[0], b.Frames[0], diff);
        Assert.Equal(0, Cv2.CountNonZero(diff.Reshape(1)));
    }
}
