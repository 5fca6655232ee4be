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

        var outcome = await FrameDecoder.DecodeAsync(clip, info, new FrameSize(32, 24), fps: null, threads: 1, async (buffer, index) =>
        {
            seen.Add(index);
            ArrayPool<byte>.Shared.Return(buffer);
            await Task.Delay(40);
        }, CancellationToken.None);

        Assert.Null(outcome.Error);
        Assert.Equal(24, outcome.Frames);
        Assert.Equal(Enumerable.Range(0, 24), seen);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task DecodeAsync_Frame_IsPackedBgrOfTheTargetSize()
    {
        // A solid red source: every pixel of every frame must be (B, G, R) ≈ (0, 0, 255) after scaling.
        string clip = TestVideos.Ffmpeg(_temp.Combine("red.mkv"), ["-f", "lavfi", "-i", "color=c=red:s=64x48:r=25", "-frames:v", "3", "-c:v", "ffv1", "-pix_fmt", "bgr0"]);
        var info = (await VideoProbe.ProbeAsync(clip, CancellationToken.None)).Info!;
        var size = new FrameSize(32, 24);
        var pixels = new List<(byte B, byte G, byte R)>();

        var outcome = await FrameDecoder.DecodeAsync(clip, info, size, null, 1, (buffer, _) =>
        {
            Assert.True(buffer.Length >= size.Width * size.Height * 3);
            int last = (size.Width * size.Height - 1) * 3;
            pixels.Add((buffer[0], buffer[1], buffer[2]));
            pixels.Add((buffer[last], buffer[last + 1], buffer[last + 2]));
            ArrayPool<byte>.Shared.Return(buffer);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(3, outcome.Frames);
        Assert.All(pixels, p => Assert.True(p.B <= 2 && p.G <= 2 && p.R >= 253, $"pixel {p} is not red in BGR order"));
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task DecodeAsync_ZeroFrameStream_FailsWithNoFrameDecoded()
    {
        string clip = TestVideos.ZeroFrames(_temp.Combine("empty.avi"));
        var probe = await VideoProbe.ProbeAsync(clip, CancellationToken.None);
        Assert.True(probe.Ok, probe.Failure); // the header is fine: only decoding finds out

        var outcome = await FrameDecoder.DecodeAsync(clip, probe.Info!, new FrameSize(160, 120), null, 1, (buffer, _) =>
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

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FrameDecoder.DecodeAsync(clip, info, new FrameSize(160, 120), null, 1, (buffer, _) =>
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (++delivered == 5)
                cancel.Cancel();
            return ValueTask.CompletedTask;
        }, cancel.Token));

        Assert.InRange(delivered, 5, 199);
    }
}
