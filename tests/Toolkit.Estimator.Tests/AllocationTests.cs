using Toolkit.Estimator.Presets;
using Toolkit.Estimator.Reporting;
using Toolkit.Ingest;

namespace Toolkit.Estimator.Tests;

/// <summary>Allocated (on-disk) bytes: whole blocks per file, and the free-space check that uses them.</summary>
[Trait("Category", "Unit")]
public sealed class AllocationTests
{
    [Theory]
    [InlineData(0, 4096, 0)]
    [InlineData(1, 4096, 4096)]
    [InlineData(4096, 4096, 4096)]
    [InlineData(4097, 4096, 8192)]
    [InlineData(3000, 1024, 3072)]
    public void OfFile_RoundsUpToWholeBlocks(long bytes, int block, long expected) =>
        Assert.Equal(expected, Allocation.OfFile(bytes, block));

    [Fact]
    public void Approximate_SmallFiles_TakeOneBlockEach_LargeOnesHalfABlockMore()
    {
        Assert.Equal(1000 * 4096, Allocation.Approximate(1000 * 1_500, 1000, 4096));           // 1.5 KB images: one block each
        Assert.Equal(1000 * (3_000 + 2048), Allocation.Approximate(1000 * 3_000, 1000, 4096));  // 3 KB: some spill into a second block
        Assert.Equal(1000 * (40_000 + 2048), Allocation.Approximate(1000 * 40_000L, 1000, 4096)); // 40 KB frames: + half a block
        Assert.Null(Allocation.Approximate(null, 10, 4096));
        Assert.Equal(0, Allocation.Approximate(0, 0, 4096));
    }

    [Fact]
    public void Approximate_MatchesExactRoundingOfSpreadSizes()
    {
        // Sizes spread uniformly over many blocks: the mean waste is half a block, within 1%.
        var rng = new Random(5);
        long[] sizes = Enumerable.Range(0, 20_000).Select(_ => (long)rng.Next(20_000, 60_000)).ToArray();
        long exact = sizes.Sum(s => Allocation.OfFile(s, 4096));
        long approx = Allocation.Approximate(sizes.Sum(), sizes.Length, 4096)!.Value;
        Assert.InRange(approx, exact * 0.99, exact * 1.01);
    }

    [Fact]
    public void Complete_Preset_FlowTakesFarMoreThanItsBytesAndRgbFlowIsTheSum()
    {
        var report = Allocation.Complete(ModelEstimator.Estimate(DatasetPresets.Get("kinetics400"), new ExtractSettings { Task = ExtractTask.Both }), 4096);
        var f = report.Formats;
        Assert.Equal(4096, report.BlockSize);
        foreach (string name in (string[])[FormatNames.Rgb, FormatNames.Flow, FormatNames.RgbFlow])
            Assert.True(f[name].AllocatedBytes > f[name].Bytes, $"{name}: allocated {f[name].AllocatedBytes} not above {f[name].Bytes}");
        // ~3.6 KB flow images: each takes a 4 KiB block, about +25%; ~33 KB RGB frames: about +6%.
        Assert.InRange((double)f[FormatNames.Flow].AllocatedBytes!.Value / f[FormatNames.Flow].Bytes!.Value, 1.1, 1.5);
        Assert.InRange((double)f[FormatNames.Rgb].AllocatedBytes!.Value / f[FormatNames.Rgb].Bytes!.Value, 1.02, 1.1);
        Assert.Equal(f[FormatNames.Rgb].AllocatedBytes + f[FormatNames.Flow].AllocatedBytes, f[FormatNames.RgbFlow].AllocatedBytes);
        Assert.All(report.Splits, s => Assert.NotNull(s.Formats[FormatNames.Flow].AllocatedBytes));
    }

    [Fact]
    public void Check_ContentFitsButBlocksDoNot_SaysItDoesNotFit()
    {
        string target = Path.GetTempPath();
        var (free, _, block) = FreeSpace.QueryWithBlockSize(target);
        Assert.True(block >= 512, $"block size {block}");
        // Content is 60% of the free space, but in files of a tenth of a block: on disk each takes a whole block (10x).
        long files = Math.Max(1, (long)(free * 0.6 / (block / 10.0)));
        var report = Allocation.Complete(Report(ExtractTask.Flow, (long)(free * 0.6), files), block);

        var check = FreeSpace.Check(report, target);

        Assert.Equal(FormatNames.Flow, check.Format);
        Assert.False(check.BytesFit, $"needs {check.NeededBytes} of {check.FreeBytes} free");
        Assert.Equal(report.Formats[FormatNames.Flow].AllocatedBytes, check.NeededBytes);
    }

    [Fact]
    public void Check_SmallPlan_Fits_AndCountsOneFolderPerVideo()
    {
        var report = Allocation.Complete(Report(ExtractTask.Rgb, 1_000_000, 50), 4096);
        var check = FreeSpace.Check(report, Path.GetTempPath());
        Assert.True(check.BytesFit && check.FilesFit);
        Assert.Equal(50 + report.Videos, check.NeededFiles);
        Assert.Equal(Allocation.Approximate(1_000_000, 50, 4096), check.NeededBytes);
    }

    private static EstimateReport Report(ExtractTask task, long bytes, long files)
    {
        var f = new FormatEstimate(bytes, files, null, bytes / 5.0, null, "calibration");
        var formats = new Dictionary<string, FormatEstimate>
        {
            [FormatNames.Videos] = new(1000, 5, null, 200, null, "exact"),
            [FormatNames.Rgb] = f,
            [FormatNames.Flow] = f,
            [FormatNames.RgbFlow] = f with { Bytes = 2 * bytes, Files = 2 * files },
        };
        var spread = new Spread(1, null);
        return new EstimateReport(EstimateReport.SchemaName, "model", "x", new ExtractSettings { Task = task }, 5, formats, [],
            new PerVideoStats(spread, spread, spread, spread, spread, spread), [], null, [], [], null);
    }
}
