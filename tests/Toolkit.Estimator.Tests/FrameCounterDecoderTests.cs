using Toolkit.Estimator.Measurement;
using Toolkit.Ingest;
using Toolkit.Ingest.Decoding;

namespace Toolkit.Estimator.Tests;

/// <summary>
/// The survey counts frames and probes content in process (libav) by default: the same counts and the same probed JPEG
/// bytes as the ffmpeg command line, on real and synthetic videos, with and without flow (issue 14).
/// </summary>
[Trait("Category", "Integration")]
public sealed class FrameCounterDecoderTests : IDisposable
{
    private readonly TempDirectory _temp = new("estimator-tests-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CountAsync_LibavAndFfmpeg_GiveTheSameCountAndContent()
    {
        var videos = new[]
        {
            TestVideos.Tree, TestVideos.MegamindBuggy,
            TestVideos.TestPattern(Path.Combine(_temp.Path, "pattern.mp4"), 176, 144, 40),
            TestVideos.WithoutDuration(Path.Combine(_temp.Path, "no_duration.mkv"), 30),
        };
        var settings = new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.Dis, ShortSide = 128 };
        var probe = new ContentProbe(settings, 4, Directory.CreateDirectory(Path.Combine(_temp.Path, "spool")).FullName);
        foreach (string video in videos)
        {
            var target = new FrameSize(128, 96);
            var libav = await FrameCounter.CountAsync(video, null, probe, target, 0, CancellationToken.None, VideoDecoderKind.Libav);
            var ffmpeg = await FrameCounter.CountAsync(video, null, probe, target, 0, CancellationToken.None, VideoDecoderKind.Ffmpeg);

            Assert.True(libav.Error is null && ffmpeg.Error is null, $"{video}: {libav.Error} / {ffmpeg.Error}");
            Assert.Equal(ffmpeg.Frames, libav.Frames);
            Assert.Equal(ffmpeg.Content, libav.Content);
            Assert.True(libav.Content!.RgbImages > 0 && libav.Content.FlowPairs > 0, video);
        }
    }

    [Fact]
    public async Task CountAsync_ZeroFrameStream_IsTheSameFailureBothWays()
    {
        string video = TestVideos.ZeroFrames(Path.Combine(_temp.Path, "zero.avi"));

        var libav = await FrameCounter.CountAsync(video, null, CancellationToken.None);
        var ffmpeg = await FrameCounter.CountAsync(video, null, null, null, 0, CancellationToken.None, VideoDecoderKind.Ffmpeg);

        Assert.Equal(0, libav.Frames);
        Assert.StartsWith("no frame could be decoded", libav.Error, StringComparison.Ordinal);
        Assert.StartsWith("no frame could be decoded", ffmpeg.Error, StringComparison.Ordinal);
    }
}
