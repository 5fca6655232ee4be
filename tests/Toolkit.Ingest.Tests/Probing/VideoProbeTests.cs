using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Probing;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Probing;

/// <summary>Both probes (libav in process, ffprobe) on the same inputs: the same description, the same kind of reason.</summary>
public sealed class VideoProbeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Trait("Category", "Integration")]
    [Theory]
    [InlineData(VideoDecoderKind.Libav)]
    [InlineData(VideoDecoderKind.Ffmpeg)]
    public async Task ProbeAsync_Tree_ReportsSizeRateAndDeclaredFrames(VideoDecoderKind decoder)
    {
        var probe = await VideoProbe.ProbeAsync(TestVideos.Require(TestVideos.Tree), CancellationToken.None, decoder);

        Assert.True(probe.Ok, probe.Failure);
        var info = probe.Info!;
        Assert.Equal((320, 240, "cinepak", 0), (info.Width, info.Height, info.Codec, info.Rotation));
        Assert.Equal(15.0, info.FrameRate, 0.01);
        Assert.Equal(444, info.DeclaredFrames);
    }

    [Trait("Category", "Integration")]
    [Theory]
    [InlineData("café \"déjà\" vu's.mp4", VideoDecoderKind.Libav)]
    [InlineData("café \"déjà\" vu's.mp4", VideoDecoderKind.Ffmpeg)]
    [InlineData("back\\slash \\\" both.mp4", VideoDecoderKind.Libav)]
    [InlineData("back\\slash \\\" both.mp4", VideoDecoderKind.Ffmpeg)]
    [InlineData("-starts with a dash.mp4", VideoDecoderKind.Libav)]
    [InlineData("-starts with a dash.mp4", VideoDecoderKind.Ffmpeg)]
    [InlineData("$HOME `date` *.mp4", VideoDecoderKind.Libav)]
    [InlineData("$HOME `date` *.mp4", VideoDecoderKind.Ffmpeg)]
    public async Task ProbeAsync_OddFileName_ProbesTheFileItself(string name, VideoDecoderKind decoder)
    {
        string path = TestVideos.TestPattern(_temp.Combine(name), 96, 64, frames: 4);

        var probe = await VideoProbe.ProbeAsync(path, CancellationToken.None, decoder);

        Assert.True(probe.Ok, probe.Failure);
        Assert.Equal((96, 64), (probe.Info!.Width, probe.Info.Height));
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task ProbeAsync_EmptyFile_FailsWithEmptyFile()
    {
        string path = _temp.Combine("zero.mp4");
        File.WriteAllBytes(path, []);

        var probe = await VideoProbe.ProbeAsync(path, CancellationToken.None);

        Assert.False(probe.Ok);
        Assert.StartsWith("empty file (0 bytes)", probe.Failure);
    }

    [Trait("Category", "Failure")]
    [Theory]
    [InlineData(VideoDecoderKind.Libav, "libav")]
    [InlineData(VideoDecoderKind.Ffmpeg, "ffprobe")]
    public async Task ProbeAsync_TextFile_FailsAsNotReadable(VideoDecoderKind decoder, string tool)
    {
        string path = _temp.Combine("text.mp4");
        File.WriteAllText(path, "not a video\n");

        var probe = await VideoProbe.ProbeAsync(path, CancellationToken.None, decoder);

        Assert.False(probe.Ok);
        Assert.StartsWith($"not a readable video file ({tool}: ", probe.Failure);
        Assert.Contains("Invalid data found", probe.Failure);
    }

    [Trait("Category", "Failure")]
    [Theory]
    [InlineData(VideoDecoderKind.Libav)]
    [InlineData(VideoDecoderKind.Ffmpeg)]
    public async Task ProbeAsync_AudioOnly_FailsWithNoVideoStream(VideoDecoderKind decoder)
    {
        string path = TestVideos.AudioOnly(_temp.Combine("sine.mp4"));

        var probe = await VideoProbe.ProbeAsync(path, CancellationToken.None, decoder);

        Assert.False(probe.Ok);
        Assert.StartsWith("no video stream (audio only: 1 audio stream(s))", probe.Failure);
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task ProbeAsync_Missing_FailsWithFileNotFound()
    {
        var probe = await VideoProbe.ProbeAsync(_temp.Combine("gone.mp4"), CancellationToken.None);

        Assert.False(probe.Ok);
        Assert.StartsWith("file not found", probe.Failure);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task ProbeAsync_EveryBundledVideo_LibavDescribesItAsFfprobeDoes()
    {
        foreach (string video in TestVideos.AllSamples(_temp.Path))
        {
            var libav = await VideoProbe.ProbeAsync(video, CancellationToken.None, VideoDecoderKind.Libav);
            var ffprobe = await VideoProbe.ProbeAsync(video, CancellationToken.None, VideoDecoderKind.Ffmpeg);

            Assert.True(libav.Ok && ffprobe.Ok, $"{video}: {libav.Failure} / {ffprobe.Failure}");
            var (a, b) = (libav.Info!, ffprobe.Info!);
            Assert.Equal((b.Width, b.Height, b.Codec, b.Rotation, b.DeclaredFrames), (a.Width, a.Height, a.Codec, a.Rotation, a.DeclaredFrames));
            Assert.Equal(b.FrameRate, a.FrameRate, 3);
            Assert.Equal(b.Duration.TotalSeconds, a.Duration.TotalSeconds, 2);
        }
    }

    [Trait("Category", "Integration")]
    [Theory]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(270)]
    public async Task ProbeAsync_RotatedPhoneClip_BothReportTheDisplayedSizeAndRotation(int rotation)
    {
        string path = TestVideos.Rotated(_temp.Combine($"phone{rotation}.mp4"), 160, 120, rotation);

        var libav = await VideoProbe.ProbeAsync(path, CancellationToken.None, VideoDecoderKind.Libav);
        var ffprobe = await VideoProbe.ProbeAsync(path, CancellationToken.None, VideoDecoderKind.Ffmpeg);

        var expected = rotation == 180 ? (160, 120) : (120, 160);
        Assert.Equal((expected.Item1, expected.Item2, rotation), (libav.Info!.Width, libav.Info.Height, libav.Info.Rotation));
        Assert.Equal((expected.Item1, expected.Item2, rotation), (ffprobe.Info!.Width, ffprobe.Info.Height, ffprobe.Info.Rotation));
    }
}
