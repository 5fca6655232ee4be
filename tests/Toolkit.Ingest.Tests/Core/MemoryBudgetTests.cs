using Toolkit.Core;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Probing;

namespace Toolkit.Ingest.Tests.Core;

/// <summary>Sizes are checked before anything is allocated (issue 20, items 11 and 13).</summary>
[Trait("Category", "Unit")]
public sealed class MemoryBudgetTests
{
    [Fact]
    public void Require_UpToHalfOfTheMemory_Passes_AboveIsAnErrorWithBothSizes()
    {
        const long available = 8L << 30;
        MemoryBudget.Require("batch shape", available / 2, "batches", "lower it", available);

        var e = Assert.Throws<ToolkitError>(() => MemoryBudget.Require("batch shape", available / 2 + 1e9, "4 batches of 8 clips", "lower the batch size", available));

        Assert.Equal("batch shape: 4 batches of 8 clips need about 4.9 GB, more than half of the 8 GB of memory available. lower the batch size", e.Message);
    }

    [Fact]
    public void Require_ProductsPastLongRange_AreStillRefused()
    {
        double bytes = 2000000.0 * 3 * 100000 * 60000 * 60000 * 4; // no int or long overflow to a small or negative number

        var e = Assert.Throws<ToolkitError>(() => MemoryBudget.Require("batch shape", bytes, "batches", "lower it"));

        Assert.Contains("PB, more than half", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Available_IsThisMachinesOrContainersMemory()
    {
        Assert.InRange(MemoryBudget.Available, 256L << 20, 64L << 40);
    }

    [Theory]
    [InlineData(4.0, 1e-9, true)]
    [InlineData(4.0, 0.1, true)] // round(0.4) = 0 frames
    [InlineData(4.0, 0.125, false)] // round(0.5) = 1 frame
    [InlineData(4.0, 25.0, false)]
    [InlineData(0.0, 1e-9, false)] // no duration: nothing to say before decoding
    public void TooLowFrameRate_WhenResamplingKeepsNoFrame_SaysWhichRateWould(double seconds, double fps, bool refused)
    {
        var info = new VideoInfo(64, 48, 25, TimeSpan.FromSeconds(seconds), null, "h264", 0);

        string? why = FrameDecoder.TooLowFrameRate(info, fps);

        Assert.Equal(refused, why is not null);
        if (refused)
            Assert.Contains("use --fps 0.125 or more", why, StringComparison.Ordinal);
        Assert.Null(FrameDecoder.TooLowFrameRate(info, fps: null));
    }
}
