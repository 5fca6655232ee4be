using OpenCvSharp;
using Toolkit.Augment;
using Toolkit.Core;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Tests.Support;

namespace Toolkit.Loaders.Tests.Datasets;

[Trait("Category", "Integration")]
public class RawframeDatasetTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Rgb_ReadsTheRequestedFramesInOrder(int start)
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var (list, _) = Fixtures.Rawframes(tmp.Path, 2, 10, startIndex: start);
        var ds = RawframeDataset.FromList(list, tmp.Path, new RawframeOptions { StartIndex = start });
        Assert.Equal(2, ds.Count);
        Assert.Equal(10, ds.FrameCount(1));
        Assert.Equal([1], ds[1].Labels);
        using var clip = ds.Read(1, [start + 7, start + 2, start + 2]);
        Assert.Equal(3, clip.Frames.Count);
        Assert.Equal(ClipKind.Rgb, clip.Kind);
        Assert.Equal(Fixtures.Colour(1, 7).Val1, Cv2.Mean(clip.Frames[0]).Val1, 2.0);
        Assert.Equal(Fixtures.Colour(1, 2).Val1, Cv2.Mean(clip.Frames[1]).Val1, 2.0);
        Assert.Equal(Fixtures.Colour(1, 2).Val0, Cv2.Mean(clip.Frames[2]).Val0, 2.0);
    }

    [Fact]
    public void Flow_StacksXAndYAsTwoChannels()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var (_, list) = Fixtures.Rawframes(tmp.Path, 1, 6, flow: true);
        var ds = RawframeDataset.FromList(list, tmp.Path, new RawframeOptions { Kind = ClipKind.Flow });
        Assert.Equal(5, ds.FrameCount(0)); // N frames, N − 1 flow pairs
        using var clip = ds.Read(0, [1, 5]);
        Assert.Equal(ClipKind.Flow, clip.Kind);
        Assert.Equal(2, clip.Frames[0].Channels());
        var m = Cv2.Mean(clip.Frames[1]);
        Assert.Equal(104, m.Val0, 1.0);
        Assert.Equal(50, m.Val1, 1.0);
    }

    [Fact]
    public void MultiLabelLines_KeepEveryLabel()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        string list = Path.Combine(tmp.Path, "l.txt");
        File.WriteAllText(list, "a/b 12 3 7 9\n\nc/d 5 0\n");
        var items = ListFile.ReadRawframes(list, tmp.Path);
        Assert.Equal([3, 7, 9], items[0].Labels);
        Assert.Equal(Path.Combine(tmp.Path, "a/b"), items[0].Path);
        Assert.Equal(3, items[1].Line);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MalformedLine_ErrorNamesListAndLine()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        string list = Path.Combine(tmp.Path, "l.txt");
        File.WriteAllText(list, "a/b 12 3\nc/d many 0\n");
        var e = Assert.Throws<ToolkitError>(() => ListFile.ReadRawframes(list, tmp.Path));
        Assert.Equal($"{list} line 2", e.Subject);
        Assert.Contains("many", e.Message);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MissingFrame_ErrorNamesTheFile()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var (list, _) = Fixtures.Rawframes(tmp.Path, 1, 5);
        var ds = RawframeDataset.FromList(list, tmp.Path);
        string gone = ds.FramePath(0, 3);
        File.Delete(gone);
        var e = Assert.Throws<ToolkitError>(() => ds.Read(0, [1, 3]));
        Assert.Equal(gone, e.Subject);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void ZeroBasedFolderReadAsOneBased_HintsAtStartIndex()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var (list, _) = Fixtures.Rawframes(tmp.Path, 1, 5, startIndex: 0);
        var ds = RawframeDataset.FromList(list, tmp.Path);
        var e = Assert.Throws<ToolkitError>(() => ds.Read(0, [5]));
        Assert.Contains("start index 0", e.Message);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("empty")]
    [Trait("Category", "Failure")]
    public void CorruptFrame_ErrorNamesTheFile_NeverAZeroFrame(string how)
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var (list, _) = Fixtures.Rawframes(tmp.Path, 1, 5);
        var ds = RawframeDataset.FromList(list, tmp.Path);
        string bad = ds.FramePath(0, 2);
        byte[] bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, how switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            "garbage" => Enumerable.Range(0, 500).Select(i => (byte)(i * 7)).ToArray(),
            _ => [],
        });
        var e = Assert.Throws<ToolkitError>(() => ds.Read(0, [1, 2, 3]));
        Assert.Equal(bad, e.Subject);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MissingFolder_ErrorNamesFolderAndLine()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var (list, _) = Fixtures.Rawframes(tmp.Path, 2, 3);
        var ds = RawframeDataset.FromList(list, tmp.Path);
        Directory.Delete(ds[1].Path, true);
        var e = Assert.Throws<ToolkitError>(() => ds.Read(1, [1]));
        Assert.Equal(ds[1].Path, e.Subject);
        Assert.Contains("line 2", e.Message);
    }
}

[Trait("Category", "Integration")]
public class VideoDatasetTests
{
    /// <summary>
    /// Both readers against a sequential OpenCV decode: the OpenCV reader within one level; the libav reader (Debian's
    /// FFmpeg 5.1 swscale, where OpenCvSharp's runtime carries its own FFmpeg) within four levels and 0.5 on average.
    /// </summary>
    [Theory]
    [InlineData(VideoBackend.OpenCv, 1.0)]
    [InlineData(VideoBackend.Libav, 4.0)]
    public void Read_SameFramesAsASequentialDecode_DecodingOnlyWhatTheClipNeeds(VideoBackend backend, double tolerance)
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        string video = Fixtures.Video(tmp.Path, 120);
        File.WriteAllText(Path.Combine(tmp.Path, "v.txt"), "clip.mp4 4\n");
        var ds = VideoDataset.FromList(Path.Combine(tmp.Path, "v.txt"), tmp.Path, new VideoOptions { Backend = backend });
        Assert.Equal(120, ds.FrameCount(0));
        Assert.Equal([4], ds[0].Labels);
        int[] wanted = [95, 97, 99, 101];
        using var clip = ds.Read(0, wanted);
        Assert.True(ds.FramesGrabbed <= 7, $"grabbed {ds.FramesGrabbed} frames for 4 (a 101-frame linear decode would be 102)");

        using var capture = new VideoCapture(video, VideoCaptureAPIs.FFMPEG);
        var reference = new List<Mat>();
        for (int i = 0; i <= 101; i++)
        {
            using var m = new Mat();
            Assert.True(capture.Read(m));
            if (wanted.Contains(i))
                reference.Add(m.Clone());
        }
        for (int i = 0; i < wanted.Length; i++)
        {
            using var diff = new Mat();
            Cv2.Absdiff(clip.Frames[i], reference[i], diff);
            Assert.True(Cv2.Norm(diff, NormTypes.INF) <= tolerance, $"frame {wanted[i]} differs by {Cv2.Norm(diff, NormTypes.INF)}");
            Assert.True(Cv2.Mean(diff).Val0 < 0.5, $"frame {wanted[i]} differs by {Cv2.Mean(diff).Val0} on average");
            reference[i].Dispose();
        }
    }

    /// <summary>An MJPEG AVI of 60 frames cut in half: the header still declares 60, about 30 decode.</summary>
    private static string Truncated(string folder)
    {
        string full = Path.Combine(folder, "full.avi"), cut = Path.Combine(folder, "cut.avi");
        var psi = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=96x64:r=25", "-frames:v", "60", "-c:v", "mjpeg", "-q:v", "5", full })
            psi.ArgumentList.Add(a);
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }
        byte[] bytes = File.ReadAllBytes(full);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        return cut;
    }

    [Fact]
    [Trait("Category", "Failure")]
    public async Task ContainerCountThatLies_IsCorrected_AndTheLoaderResamples()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        string cut = Truncated(tmp.Path);
        var ds = new VideoDataset([new DatasetItem(cut, -1, [0], 1)]);
        Assert.Equal(60, ds.FrameCount(0)); // what the header says
        var e = Assert.Throws<StaleFrameCountException>(() => ds.Read(0, [55]));
        int real = ds.FrameCount(0);
        Assert.Equal(e.RealCount, real);
        Assert.InRange(real, 20, 40);

        var fresh = new VideoDataset([new DatasetItem(cut, -1, [0], 1)]);
        await using var loader = new Toolkit.Loaders.Pipeline.ClipLoader(fresh, new Toolkit.Loaders.Pipeline.LoaderOptions
        {
            Shapes = new Toolkit.Loaders.Pipeline.FixedShapes(1, 8, 32),
            Recipe = s => Toolkit.Augment.Pipeline.ClipPipeline.Build(x => x.Resize(s, s)),
            TestMode = true, // centred clip of the declared 60 frames: past the real end
        });
        int batches = 0;
        await foreach (var b in loader.EpochAsync(0))
            using (b)
                batches++;
        Assert.Equal(1, batches);
        Assert.Equal(real, fresh.FrameCount(0));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MissingOrBrokenVideo_ErrorNamesTheFile()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        string broken = Path.Combine(tmp.Path, "broken.mp4");
        File.WriteAllBytes(broken, Enumerable.Range(0, 4000).Select(i => (byte)(i * 13)).ToArray());
        var ds = new VideoDataset([new DatasetItem(broken, -1, [0], 1), new DatasetItem(Path.Combine(tmp.Path, "gone.mp4"), -1, [0], 2)]);
        Assert.Equal(broken, Assert.Throws<ToolkitError>(() => ds.Read(0, [0])).Subject);
        Assert.Equal(Path.Combine(tmp.Path, "gone.mp4"), Assert.Throws<ToolkitError>(() => ds.FrameCount(1)).Subject);
    }
}
