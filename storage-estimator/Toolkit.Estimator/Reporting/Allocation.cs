namespace Toolkit.Estimator.Reporting;

/// <summary>
/// Disk space files really take: every file occupies whole blocks of the file system (4 KiB on ext4 and XFS by default),
/// so millions of 3–40 KB JPEGs take noticeably more than their content bytes (a 3 KB flow image takes 4 KiB, +30%).
/// </summary>
public static class Allocation
{
    /// <summary>The block size assumed when no target file system is given: ext4's and XFS's default.</summary>
    public const int DefaultBlockSize = 4096;

    /// <summary>Bytes a file of <paramref name="bytes"/> bytes takes in blocks of <paramref name="blockSize"/> (0 for an empty file).</summary>
    public static long OfFile(long bytes, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        return (bytes + blockSize - 1) / blockSize * blockSize;
    }

    /// <summary>
    /// Bytes <paramref name="files"/> files of <paramref name="bytes"/> bytes in all take when only their mean size is known:
    /// each at least one block, and on average half a block more than its content: <c>max(B, mean + B/2)</c> per file,
    /// continuous from "every file fits one block" (mean ≤ B/2) to "sizes spread over several blocks" (mean ≫ B).
    /// Used where no file was measured (presets, model-only, the formats a sample did not write).
    /// </summary>
    public static long? Approximate(long? bytes, long files, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        if (bytes is not { } b || files <= 0)
            return bytes;
        double mean = (double)b / files;
        double perFile = Math.Max(blockSize, mean + (blockSize / 2.0));
        double total = perFile * files;
        return double.IsFinite(total) && total < long.MaxValue ? (long)Math.Round(total, MidpointRounding.AwayFromZero) : long.MaxValue;
    }

    /// <summary>
    /// Fills <see cref="FormatEstimate.AllocatedBytes"/> of every format and split that has none yet from its mean file
    /// size (<see cref="Approximate"/>), and records the block size.
    /// </summary>
    public static EstimateReport Complete(EstimateReport report, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        IReadOnlyDictionary<string, FormatEstimate> Fill(IReadOnlyDictionary<string, FormatEstimate> formats)
        {
            var filled = formats.ToDictionary(p => p.Key, p => p.Value.AllocatedBytes is null ? p.Value with { AllocatedBytes = Approximate(p.Value.Bytes, p.Value.Files, blockSize) } : p.Value);
            // RGB + flow is the two sets of files together: their allocations add up (the mean over both mixes two sizes).
            if (formats.TryGetValue(FormatNames.RgbFlow, out var both) && both.AllocatedBytes is null
                && filled.GetValueOrDefault(FormatNames.Rgb)?.AllocatedBytes is { } rgb && filled.GetValueOrDefault(FormatNames.Flow)?.AllocatedBytes is { } flow)
                filled[FormatNames.RgbFlow] = both with { AllocatedBytes = rgb + flow };
            return filled;
        }
        return report with
        {
            BlockSize = blockSize,
            Formats = Fill(report.Formats),
            Splits = report.Splits.Select(s => s with { Formats = Fill(s.Formats) }).ToList(),
        };
    }
}
