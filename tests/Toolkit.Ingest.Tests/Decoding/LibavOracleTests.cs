using System.Buffers;
using System.Security.Cryptography;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Probing;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Decoding;

/// <summary>
/// The in-process decoder against its oracle, the ffmpeg command line the toolkit ran before (issue 14): on every sample
/// and synthetic video, the same frame count and the same bytes in every frame, at the output size and at the source size,
/// in YCbCr 4:2:0 and in gray; rotated phone clips come out turned as the command line turns them.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LibavOracleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EverySampleVideo_LibavFramesAreTheCommandLinesBitForBit()
    {
        Assert.Null(LibavVideo.Unavailable);
        var videos = TestVideos.AllSamples(_temp.Path).Concat(new[] { 90, 180, 270 }.Select(r => TestVideos.Rotated(_temp.Combine($"phone{r}.mp4"), 160, 120, r)));
        var settings = new ExtractSettings(); // short side 256
        foreach (string video in videos)
        {
            var info = (await VideoProbe.ProbeAsync(video, CancellationToken.None, VideoDecoderKind.Ffmpeg)).Info!;
            foreach (var layout in new[]
                     {
                         new FrameLayout(settings.TargetSize(info.Width, info.Height), PixelLayout.Yuv420),
                         new FrameLayout(new FrameSize(info.Width, info.Height), PixelLayout.Gray),
                     })
            {
                var (libavOutcome, libav) = await Decode(video, info, layout, VideoDecoderKind.Libav);
                var (ffmpegOutcome, ffmpeg) = await Decode(video, info, layout, VideoDecoderKind.Ffmpeg);

                string what = $"{Path.GetFileName(video)} at {layout.Size} {layout.Pixels}";
                Assert.True(libavOutcome.Error is null && ffmpegOutcome.Error is null, $"{what}: {libavOutcome.Error} / {ffmpegOutcome.Error}");
                Assert.True(ffmpeg.Count > 0, what);
                Assert.True(ffmpeg.Count == libav.Count, $"{what}: libav decoded {libav.Count} frames, ffmpeg {ffmpeg.Count}");
                int differing = Enumerable.Range(0, libav.Count).Count(i => libav[i] != ffmpeg[i]);
                Assert.True(differing == 0, $"{what}: {differing} of {libav.Count} frames differ from the command line's");
            }
        }
    }

    /// <summary>
    /// swscale stores whole vectors: for rows that are not a multiple of its width it wrote past the frame (24 bytes past
    /// a 40 × 40 BGR frame), into the caller's memory: a crash of toolkit test on 40-pixel videos. Every output layout at
    /// awkward widths must leave a sentinel just past the frame untouched, with the same bytes as a padded buffer gets.
    /// </summary>
    [Theory]
    [InlineData(40, 40)]
    [InlineData(42, 30)]
    [InlineData(62, 18)]
    public void Read_NeverWritesPastTheFrame_AtAnyWidth(int width, int height)
    {
        string video = TestVideos.TestPattern(_temp.Combine($"p{width}x{height}.mp4"), width, height, frames: 6);
        foreach (int format in new[] { 0, 1, 2 })
        {
            byte[] Frames(int spare, out bool intact)
            {
                var (v, failure) = LibavVideo.Open(video, threads: 1);
                using var opened = v ?? throw new InvalidOperationException(failure);
                int bytes;
                if (format == 2)
                {
                    Assert.True(opened.TrySetBgrOutput(out string? problem), problem);
                    bytes = 3 * width * height;
                }
                else
                {
                    var layout = new FrameLayout(new FrameSize(width, height), format == 1 ? PixelLayout.Gray : PixelLayout.Yuv420);
                    Assert.True(opened.TrySetOutput(layout, out string? problem), problem);
                    bytes = layout.FrameBytes;
                }
                var all = new List<byte>();
                intact = true;
                var buffer = new byte[bytes + spare];
                while (true)
                {
                    buffer.AsSpan(bytes).Fill(0xA5);
                    if (!opened.Read(buffer, bytes))
                        break;
                    intact &= buffer.AsSpan(bytes).IndexOfAnyExcept((byte)0xA5) < 0;
                    all.AddRange(buffer.AsSpan(0, bytes).ToArray());
                }
                return [.. all];
            }
            byte[] tight = Frames(64, out bool tightIntact);
            byte[] padded = Frames(LibavVideo.ScalePadding + 4096, out _);
            Assert.True(tightIntact, $"{width}x{height} format {format}: bytes past the frame were written");
            Assert.True(tight.Length == 6 * (padded.Length / 6) && tight.Length > 0, $"{width}x{height} format {format}: {tight.Length} bytes");
            Assert.True(tight.AsSpan().SequenceEqual(padded), $"{width}x{height} format {format}: the tight buffer's frames differ from the padded one's");
        }
    }

    [Fact]
    public async Task TreeAndMegamind_KeepTheirCountAndRepairNotes()
    {
        var tree = await VideoProbe.ProbeAsync(TestVideos.Require(TestVideos.Tree), CancellationToken.None);
        var (treeOutcome, treeFrames) = await Decode(TestVideos.Tree, tree.Info!, new FrameLayout(new FrameSize(64, 48), PixelLayout.Gray), VideoDecoderKind.Libav);
        var buggy = await VideoProbe.ProbeAsync(TestVideos.Require(TestVideos.MegamindBuggy), CancellationToken.None);
        var (buggyOutcome, _) = await Decode(TestVideos.MegamindBuggy, buggy.Info!, new FrameLayout(new FrameSize(64, 48), PixelLayout.Gray), VideoDecoderKind.Libav);

        Assert.Equal(68, treeFrames.Count);
        Assert.Contains("the container declares 444 frames but 68 were decoded; the decoded count is used", treeOutcome.Warnings);
        Assert.Contains(buggyOutcome.Warnings, w => w.StartsWith("mpeg4: Video uses a non-standard and wasteful way to store B-frames ('packed B-frames')", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotatedPhoneClip_ComesOutPortrait_ShortSide256()
    {
        string clip = TestVideos.Rotated(_temp.Combine("phone.mp4"), 320, 180, 90);
        var info = (await VideoProbe.ProbeAsync(clip, CancellationToken.None)).Info!;
        var size = new ExtractSettings().TargetSize(info.Width, info.Height);

        Assert.Equal((180, 320, 90), (info.Width, info.Height, info.Rotation));
        Assert.Equal(new FrameSize(256, 455), size);
        var (outcome, frames) = await Decode(clip, info, new FrameLayout(size, PixelLayout.Yuv420), VideoDecoderKind.Libav);
        Assert.Null(outcome.Error);
        Assert.Equal(10, frames.Count);
    }

    [Fact]
    public async Task Extract_BothDecoders_WriteTheSameTreeAndCounts()
    {
        foreach (string video in TestVideos.AllSamples(_temp.Combine("unpacked")).Take(6))
        {
            string cls = Path.GetFileNameWithoutExtension(video).Replace(' ', '_');
            string target = _temp.Combine("src", cls, Path.GetFileName(video));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(video, target);
        }
        foreach (var decoder in new[] { VideoDecoderKind.Libav, VideoDecoderKind.Ffmpeg })
        {
            var summary = await ExtractPipeline.RunAsync(new ExtractOptions
            {
                Source = _temp.Combine("src"),
                Output = _temp.Combine($"out-{decoder}"),
                Settings = new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.Dis, ShortSide = 128 },
                Decoder = decoder,
                Workers = 2,
            });
            Assert.All(summary.Results, r => Assert.Equal(VideoStatus.Done, r.Status));
        }

        Assert.Empty(OutputTree.Differences(OutputTree.Hashes(_temp.Combine("out-Ffmpeg")), OutputTree.Hashes(_temp.Combine("out-Libav"))));
        Assert.Equal(
            OutputTree.Manifest(_temp.Combine("out-Ffmpeg")).Select(e => (e.Output, e.Frames, e.Flows)).Order(),
            OutputTree.Manifest(_temp.Combine("out-Libav")).Select(e => (e.Output, e.Frames, e.Flows)).Order());
    }

    private static async Task<(DecodeOutcome Outcome, List<string> Hashes)> Decode(string path, VideoInfo info, FrameLayout layout, VideoDecoderKind decoder)
    {
        var hashes = new List<string>();
        var outcome = await FrameDecoder.DecodeAsync(path, info, layout, fps: null, threads: 1, (buffer, _) =>
        {
            hashes.Add(Convert.ToHexString(SHA256.HashData(buffer.AsSpan(0, layout.FrameBytes))));
            ArrayPool<byte>.Shared.Return(buffer);
            return ValueTask.CompletedTask;
        }, CancellationToken.None, decoder);
        return (outcome, hashes);
    }
}
