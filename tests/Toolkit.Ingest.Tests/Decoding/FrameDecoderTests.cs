using System.Buffers;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Probing;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Decoding;

public sealed class FrameDecoderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Regression: frames still buffered in the pipe when ffmpeg exited were dropped without a word (FFMpegCore cancelled
    /// the read and disposed the pipe as soon as the process ended), so a consumer that fell behind lost the last frames.
    /// Here all 24 frames (2.3 KB each) fit in the pipe, so ffmpeg exits long before a consumer taking 40 ms per frame
    /// is done; the old decoder delivered about half of them and reported success.
    /// </summary>
    [Trait("Category", "Integration")]
    [Fact]
    public async Task DecodeAsync_ConsumerSlowerThanFfmpeg_DeliversEveryFrameInOrder()
    {
        string clip = TestVideos.TestPattern(_temp.Combine("slow.mp4"), 160, 120, frames: 24);
        var info = (await VideoProbe.ProbeAsync(clip, CancellationToken.None)).Info!;
        var seen = new List<int>();

        var outcome = await FrameDecoder.DecodeAsync(clip, info, new FrameLayout(new FrameSize(32, 24), PixelLayout.Gray), fps: null, threads: 1, async (buffer, index) =>
        {
            seen.Add(index);
            ArrayPool<byte>.Shared.Return(buffer);
            await Task.Delay(40);
        }, CancellationToken.None, VideoDecoderKind.Ffmpeg);

        Assert.Null(outcome.Error);
        Assert.Equal(24, outcome.Frames);
        Assert.Equal(Enumerable.Range(0, 24), seen);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task DecodeAsync_Yuv420Frame_IsFullRangeYCbCrPlanesOfTheTargetSize()
    {
        // A solid red source (stored as RGB, so no limited-range YUV in between): full-range BT.601 YCbCr of pure red is
        // Y = 0.299·255 ≈ 76, Cb = 128 − 0.1687·255 ≈ 85, Cr = 128 + 0.5·255 → 255. An odd width checks the ⌈W/2⌉ chroma
        // planes: a wrong plane size would shift Cb into Y and Cr into Cb from the second frame on.
        string clip = TestVideos.Ffmpeg(_temp.Combine("red.mkv"), ["-f", "lavfi", "-i", "color=c=red:s=64x48:r=25", "-frames:v", "3", "-c:v", "ffv1", "-pix_fmt", "bgr0"]);
        var info = (await VideoProbe.ProbeAsync(clip, CancellationToken.None)).Info!;
        var layout = new FrameLayout(new FrameSize(33, 24), PixelLayout.Yuv420);
        Assert.Equal((33 * 24) + (2 * 17 * 12), layout.FrameBytes);
        var samples = new List<(byte Y, byte Cb, byte Cr)>();

        var outcome = await FrameDecoder.DecodeAsync(clip, info, layout, null, 1, (buffer, _) =>
        {
            Assert.True(buffer.Length >= layout.FrameBytes);
            int cb = layout.LumaBytes, cr = layout.LumaBytes + layout.ChromaBytes;
            samples.Add((buffer[0], buffer[cb], buffer[cr]));
            samples.Add((buffer[layout.LumaBytes - 1], buffer[cr - 1], buffer[layout.FrameBytes - 1]));
            ArrayPool<byte>.Shared.Return(buffer);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(3, outcome.Frames);
        Assert.All(samples, p => Assert.True(Math.Abs(p.Y - 76) <= 2 && Math.Abs(p.Cb - 85) <= 2 && p.Cr >= 253, $"(Y, Cb, Cr) = {p} is not full-range red"));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task DecodeAsync_GrayFrame_IsFullRangeLuma()
    {
        // Limited-range white (Y = 235 in the H.264 stream) must come out as 255, and mid gray as ≈ 128.
        string clip = TestVideos.Ffmpeg(_temp.Combine("bars.mp4"), ["-f", "lavfi", "-i", "color=c=white:s=64x48:r=25[a];color=c=0x808080:s=64x48:r=25[b];[a][b]hstack",
            "-frames:v", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p"]);
        var info = (await VideoProbe.ProbeAsync(clip, CancellationToken.None)).Info!;
        var layout = new FrameLayout(new FrameSize(64, 24), PixelLayout.Gray);
        var rows = new List<(byte Left, byte Right)>();

        var outcome = await FrameDecoder.DecodeAsync(clip, info, layout, null, 1, (buffer, _) =>
        {
            rows.Add((buffer[(12 * 64) + 4], buffer[(12 * 64) + 60]));
            ArrayPool<byte>.Shared.Return(buffer);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(2, outcome.Frames);
        Assert.All(rows, r => Assert.True(r.Left >= 253 && Math.Abs(r.Right - 128) <= 3, $"gray samples {r}: expected white ≈ 255 and gray ≈ 128"));
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task DecodeAsync_ZeroFrameStream_FailsWithNoFrameDecoded()
    {
        string clip = TestVideos.ZeroFrames(_temp.Combine("empty.avi"));
        var probe = await VideoProbe.ProbeAsync(clip, CancellationToken.None);
        Assert.True(probe.Ok, probe.Failure); // the header is fine: only decoding finds out

        var outcome = await FrameDecoder.DecodeAsync(clip, probe.Info!, new FrameLayout(new FrameSize(160, 120), PixelLayout.Yuv420), null, 1, (buffer, _) =>
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(0, outcome.Frames);
        Assert.StartsWith("no frame could be decoded (", outcome.Error);
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task DecodeAsync_Cancelled_ThrowsAndStopsEarly()
    {
        string clip = TestVideos.TestPattern(_temp.Combine("long.mp4"), 160, 120, frames: 200);
        var info = (await VideoProbe.ProbeAsync(clip, CancellationToken.None)).Info!;
        using var cancel = new CancellationTokenSource();
        int delivered = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FrameDecoder.DecodeAsync(clip, info, new FrameLayout(new FrameSize(160, 120), PixelLayout.Yuv420), null, 1, (buffer, _) =>
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (++delivered == 5)
                cancel.Cancel();
            return ValueTask.CompletedTask;
        }, cancel.Token));

        Assert.InRange(delivered, 5, 199);
    }
}
