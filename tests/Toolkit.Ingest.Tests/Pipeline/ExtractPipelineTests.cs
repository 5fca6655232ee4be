using OpenCvSharp;
using Toolkit.Ingest.Output;
using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Pipeline;

/// <summary>
/// tree.avi converted once with the defaults (RGB, short side 256) and shared by the tests that look at different
/// parts of the result; every other test converts its own input.
/// </summary>
public sealed class TreeRgbFixture : IAsyncLifetime
{
    public TempDirectory Temp { get; } = new();

    public ExtractSettings Settings { get; } = new ExtractSettings().Validate();

    public string Source => Temp.Combine("src");

    public string Video => Temp.Combine("src", "nature", "tree.avi");

    public string Output => Temp.Combine("out");

    public int ExpectedFrames { get; private set; }

    public ExtractSummary Summary { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Temp.CreateFolder("src", "nature");
        File.Copy(TestVideos.Require(TestVideos.Tree), Video);
        ExpectedFrames = TestVideos.CountFrames(Video);
        Summary = await Extract.RunAsync(Source, Output, Settings);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}

[Trait("Category", "Integration")]
public sealed class ExtractPipelineTests(TreeRgbFixture tree) : IClassFixture<TreeRgbFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void RunAsync_TreeRgb_WritesOneJpegPerFrameFfprobeCounts()
    {
        Assert.Equal(68, tree.ExpectedFrames); // ffprobe's count; the AVI header claims 444
        var result = Assert.Single(tree.Summary.Results);
        Assert.Equal(VideoStatus.Done, result.Status);
        Assert.Equal(tree.ExpectedFrames, result.Frames);
        Assert.Equal(0, result.Flows);
        Assert.Equal(Extract.Sequence("img_", 1, tree.ExpectedFrames), Extract.Names(Path.Combine(tree.Output, "nature", "tree"), "*"));
    }

    [Fact]
    public void RunAsync_TreeRgb_JpegsHaveTheTargetSize()
    {
        var expected = tree.Settings.TargetSize(320, 240);
        Assert.Equal(new FrameSize(341, 256), expected);

        foreach (string name in new[] { "img_00001.jpg", $"img_{tree.ExpectedFrames:D5}.jpg" })
        {
            using var image = Cv2.ImRead(Path.Combine(tree.Output, "nature", "tree", name), ImreadModes.Color);
            Assert.False(image.Empty(), $"{name} is not a readable JPEG");
            Assert.Equal(expected.Width, image.Width);
            Assert.Equal(expected.Height, image.Height);
        }
    }

    [Fact]
    public void RunAsync_TreeRgb_ManifestLineDescribesTheFolder()
    {
        var entry = Assert.Single(OutputTree.Manifest(tree.Output));
        var source = new FileInfo(tree.Video);
        string folder = Path.Combine(tree.Output, "nature", "tree");

        Assert.Equal("nature/tree", entry.Output);
        Assert.Equal("nature/tree.avi", entry.Source);
        Assert.Equal(tree.Video, entry.SourcePath);
        Assert.Equal(source.Length, entry.SourceSize);
        Assert.Equal(new DateTimeOffset(source.LastWriteTimeUtc).ToUnixTimeMilliseconds(), entry.SourceMtime);
        Assert.Equal("nature", entry.Class);
        Assert.Equal(tree.ExpectedFrames, entry.Frames);
        Assert.Equal(tree.ExpectedFrames, entry.DecodedFrames);
        Assert.Equal(0, entry.Flows);
        Assert.Equal((341, 256), (entry.Width, entry.Height));
        Assert.Equal(15.0, entry.Fps, 0.01);
        Assert.Equal(Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length), entry.Bytes);
        Assert.Equal(OutputStore.HashOf(tree.Settings), entry.Settings);
        Assert.Contains(entry.Notes, n => n.Contains("declares 444 frames but 68 were decoded", StringComparison.Ordinal));
        Assert.Equal(Path.Combine(tree.Output, ".toolkit", "manifest-00000-of-00001.jsonl"), tree.Summary.ManifestPath);
    }

    /// <summary>
    /// Colour fidelity end to end: a limited-range H.264 clip of four flat colours must come out as JPEGs with the same
    /// BGR values (a range or plane-order mistake between ffmpeg and the JPEG encoder shifts them by 20 or more).
    /// The odd width (4:2:0 chroma planes of ⌈W/2⌉) and --task both (Y plane shared with flow) are part of the check.
    /// </summary>
    [Fact]
    public async Task RunAsync_FlatColours_JpegsKeepTheirColours()
    {
        (string Hex, int B, int G, int R)[] colours = [("0xCC6633", 0x33, 0x66, 0xCC), ("0x33CC66", 0x66, 0xCC, 0x33), ("0x2040E0", 0xE0, 0x40, 0x20), ("0xF0F0F0", 0xF0, 0xF0, 0xF0)];
        string graph = string.Join(';', colours.Select((c, i) => $"color=c={c.Hex}:s=64x96:r=25[c{i}]")) + ";[c0][c1][c2][c3]hstack=inputs=4";
        TestVideos.Ffmpeg(_temp.Combine("src", "flat", "colours.mp4"), ["-f", "lavfi", "-i", graph, "-frames:v", "3", "-c:v", "libx264", "-crf", "1", "-pix_fmt", "yuv420p"]);
        var settings = new ExtractSettings { Size = new FrameSize(129, 48), Task = ExtractTask.Both, Flow = FlowAlgorithm.Farneback };

        var summary = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), settings);

        Assert.Equal(3, Assert.Single(summary.Results).Frames);
        using var image = Cv2.ImRead(_temp.Combine("out", "flat", "colours", "img_00002.jpg"), ImreadModes.Color);
        Assert.Equal((129, 48), (image.Width, image.Height));
        for (int i = 0; i < colours.Length; i++)
        {
            var pixel = image.At<Vec3b>(24, (i * 32) + 16);
            var (_, b, g, r) = colours[i];
            Assert.True(Math.Abs(pixel.Item0 - b) <= 6 && Math.Abs(pixel.Item1 - g) <= 6 && Math.Abs(pixel.Item2 - r) <= 6,
                $"colour {colours[i].Hex}: got BGR ({pixel.Item0}, {pixel.Item1}, {pixel.Item2}), want ({b}, {g}, {r})");
        }
        using var flowX = Cv2.ImRead(_temp.Combine("out", "flat", "colours", "flow_x_00001.jpg"), ImreadModes.Unchanged);
        Assert.InRange(flowX.At<byte>(24, 64), (byte)125, (byte)131); // a still picture: zero motion → 128
    }

    [Fact]
    public async Task RunAsync_SynthesizedClipExactSize_FrameCountAndSizeMatch()
    {
        string clip = TestVideos.Mandelbrot(_temp.Combine("src", "fractal", "zoom.mp4"), width: 200, height: 150, frames: 48);
        var settings = new ExtractSettings { Size = new FrameSize(128, 96) };

        var summary = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), settings);

        int expected = TestVideos.CountFrames(clip);
        Assert.Equal(48, expected);
        Assert.Equal(expected, Assert.Single(summary.Results).Frames);
        string folder = _temp.Combine("out", "fractal", "zoom");
        Assert.Equal(Extract.Sequence("img_", 1, expected), Extract.Names(folder, "*"));
        using var image = Cv2.ImRead(Path.Combine(folder, "img_00048.jpg"));
        Assert.Equal((128, 96), (image.Width, image.Height));
        var entry = Assert.Single(OutputTree.Manifest(_temp.Combine("out")));
        Assert.Equal((expected, expected, 0, 128, 96), (entry.Frames, entry.DecodedFrames, entry.Flows, entry.Width, entry.Height));
        Assert.Equal(25.0, entry.Fps, 0.001);
        Assert.Empty(entry.Notes);
    }

    [Fact]
    public async Task RunAsync_StartIndexZero_NamesRgbAndFlowFromZero()
    {
        TestVideos.TestPattern(_temp.Combine("src", "pattern", "p.mp4"), 160, 120, frames: 24);
        var settings = new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.Farneback, ShortSide = 0, StartIndex = 0 };

        var summary = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), settings);

        var result = Assert.Single(summary.Results);
        Assert.Equal((VideoStatus.Done, 24, 23), (result.Status, result.Frames, result.Flows));
        string folder = _temp.Combine("out", "pattern", "p");
        Assert.Equal(Extract.Sequence("img_", 0, 24), Extract.Names(folder, "img_*"));
        Assert.Equal(Extract.Sequence("flow_x_", 0, 23), Extract.Names(folder, "flow_x_*"));
        Assert.Equal(Extract.Sequence("flow_y_", 0, 23), Extract.Names(folder, "flow_y_*"));
    }

    [Fact]
    public async Task RunAsync_TreeFarnebackFlow_WritesFramesMinusOneXAndYImages()
    {
        _temp.CreateFolder("src", "nature");
        string video = _temp.Combine("src", "nature", "tree.avi");
        File.Copy(TestVideos.Require(TestVideos.Tree), video);
        var settings = new ExtractSettings { Task = ExtractTask.Flow, Flow = FlowAlgorithm.Farneback, ShortSide = 120 };

        var summary = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), settings);

        int frames = TestVideos.CountFrames(video);
        var result = Assert.Single(summary.Results);
        Assert.Equal((VideoStatus.Done, frames, frames - 1), (result.Status, result.Frames, result.Flows));
        string folder = _temp.Combine("out", "nature", "tree");
        Assert.Equal(Extract.Sequence("flow_x_", 1, frames - 1), Extract.Names(folder, "flow_x_*"));
        Assert.Equal(Extract.Sequence("flow_y_", 1, frames - 1), Extract.Names(folder, "flow_y_*"));
        Assert.Empty(Extract.Names(folder, "img_*"));
        using var flowX = Cv2.ImRead(Path.Combine(folder, "flow_x_00001.jpg"), ImreadModes.Unchanged);
        Assert.Equal((160, 120, 1), (flowX.Width, flowX.Height, flowX.Channels()));
        var entry = Assert.Single(OutputTree.Manifest(_temp.Combine("out")));
        Assert.Equal((0, frames, frames - 1), (entry.Frames, entry.DecodedFrames, entry.Flows));
    }

    [Fact]
    public async Task RunAsync_MegamindBuggy_Converts270FramesAndNotesTheRepair()
    {
        _temp.CreateFolder("src", "movie");
        string video = _temp.Combine("src", "movie", "Megamind_bugy.avi");
        File.Copy(TestVideos.Require(TestVideos.MegamindBuggy), video);

        var summary = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), new ExtractSettings { ShortSide = 128 });

        var result = Assert.Single(summary.Results);
        Assert.Equal(VideoStatus.Done, result.Status);
        Assert.Equal(270, TestVideos.CountFrames(video));
        Assert.Equal(270, result.Frames);
        Assert.Equal(270, Directory.GetFiles(_temp.Combine("out", "movie", "Megamind_bugy"), "img_*.jpg").Length);
        Assert.Contains(result.Notes, n => n.Contains("packed B-frames", StringComparison.Ordinal));
        Assert.Equal(result.Notes, Assert.Single(OutputTree.Manifest(_temp.Combine("out"))).Notes);
    }

    [Fact]
    public async Task RunAsync_BoxMp4WithABrokenFrame_WritesEveryDecodableFrame()
    {
        string video = TestVideos.GunzipBox(_temp.CreateFolder("src", "objects"));

        var summary = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), new ExtractSettings { ShortSide = 64 });

        int expected = TestVideos.CountFrames(video);
        var result = Assert.Single(summary.Results);
        Assert.Equal(VideoStatus.Done, result.Status);
        Assert.Equal(expected, result.Frames);
        Assert.Equal(Extract.Sequence("img_", 1, expected), Extract.Names(_temp.Combine("out", "objects", "box"), "*"));
        using var image = Cv2.ImRead(_temp.Combine("out", "objects", "box", "img_00001.jpg"));
        Assert.Equal((85, 64), (image.Width, image.Height));
    }
}
