using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Pipeline;

/// <summary>A video whose frames would not fit in memory fails alone, with its figure, before any frame is decoded (issue 20, item 11).</summary>
public sealed class FrameMemoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Trait("Category", "Unit")]
    [Fact]
    public void FramesInFlightBytes_An8192SquareVideoAtItsOwnSize_IsGigabytes_ItsShortSide256IsMegabytes()
    {
        var options = new ExtractOptions { Source = "s", Output = "o", Workers = 2, Decoders = 2 };

        double full = options.FramesInFlightBytes(8192, 8192, new FrameSize(8192, 8192)); // --short-side 0
        double small = options.FramesInFlightBytes(8192, 8192, options.Settings.TargetSize(8192, 8192));

        // 12 queued YUV frames of 96 MiB, 2 BGR images of 192 MiB, 2 decoders × 8 source frames of 96 MiB.
        Assert.Equal((12 * 1.5 + 2 * 3 + 2 * 8 * 1.5) * 8192 * 8192, full);
        Assert.InRange(full / (1 << 30), 2.5, 3.5);
        Assert.InRange((small - 2 * 8 * 1.5 * 8192 * 8192) / (1 << 20), 1, 4); // the output side is small; the decoders' share stays
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task VideoWhoseFramesExceedHalfTheMemory_FailsAloneWithTheFigure_NothingIsWritten()
    {
        TestVideos.TestPattern(_temp.Combine("src", "walk", "big.mp4"), 160, 120, frames: 4);
        string output = _temp.Combine("out");

        var summary = await ExtractPipeline.RunAsync(new ExtractOptions
        {
            Source = _temp.Combine("src"),
            Output = output,
            Settings = new ExtractSettings { ShortSide = 0 },
            Workers = 1,
            Decoders = 1,
            MemoryLimit = 256 << 10, // 256 KiB: 160x120 frames in flight (about 450 KB) take more than half
        });

        var result = Assert.Single(summary.Results);
        Assert.Equal(VideoStatus.Failed, result.Status);
        Assert.Contains("its 160x120 frames (160x120 written) need about", result.Reason, StringComparison.Ordinal);
        Assert.Contains("more than half of the 256 KB of memory available; shrink them with --short-side", result.Reason, StringComparison.Ordinal);
        Assert.Empty(OutputTree.Manifest(output));
        Assert.Empty(OutputTree.VideoFolders(output));
    }
}
