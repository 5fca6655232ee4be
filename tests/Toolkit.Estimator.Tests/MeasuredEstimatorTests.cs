using Toolkit.Core;
using Toolkit.Estimator.Measurement;
using Toolkit.Estimator.Reporting;
using Toolkit.Ingest;
using Toolkit.Ingest.Pipeline;

namespace Toolkit.Estimator.Tests;

/// <summary>Measured mode against a real extraction of the whole set.</summary>
[Trait("Category", "Integration")]
public sealed class MeasuredEstimatorTests : IDisposable
{
    private static readonly ExtractSettings Settings = new() { Task = ExtractTask.Both, Flow = FlowAlgorithm.Dis, ShortSide = 96 };
    private readonly TempDirectory _temp = new("estimator-tests-");

    public void Dispose() => _temp.Dispose();

    /// <summary>12 testsrc2 clips (one kind of content) of 3 sizes and 16–49 frames, in 3 class folders.</summary>
    private string MakeSet()
    {
        string root = Path.Combine(_temp.Path, "videos");
        (int W, int H)[] sizes = [(160, 120), (192, 108), (176, 144)];
        for (int i = 0; i < 12; i++)
        {
            var (w, h) = sizes[i % 3];
            TestVideos.TestPattern(Path.Combine(root, $"class{i % 3}", $"clip{i:D2}.mp4"), w, h, 16 + (i * 3));
        }
        return root;
    }

    private async Task<(long Rgb, long RgbFiles, long Flow, long FlowFiles, long RgbAllocated, long FlowAllocated)> ActualAsync(string source)
    {
        string output = Path.Combine(_temp.Path, "actual");
        var summary = await ExtractPipeline.RunAsync(new ExtractOptions { Source = source, Output = output, Settings = Settings });
        Assert.Equal(0, summary.Failed);
        long rgb = 0, rgbFiles = 0, flow = 0, flowFiles = 0, rgbAllocated = 0, flowAllocated = 0;
        foreach (var f in new DirectoryInfo(output).EnumerateFiles("*.jpg", SearchOption.AllDirectories))
        {
            long blocks = (f.Length + 4095) / 4096 * 4096;
            if (f.Name.StartsWith("img_", StringComparison.Ordinal)) { rgb += f.Length; rgbFiles++; rgbAllocated += blocks; }
            else if (f.Name.StartsWith("flow_", StringComparison.Ordinal)) { flow += f.Length; flowFiles++; flowAllocated += blocks; }
        }
        return (rgb, rgbFiles, flow, flowFiles, rgbAllocated, flowAllocated);
    }

    [Fact]
    public async Task RunAsync_SampleIsWholeSet_BytesWithin1PercentAndFilesExact()
    {
        string source = MakeSet();
        var actual = await ActualAsync(source);
        var r = await MeasuredEstimator.RunAsync(new MeasureOptions { Source = source, Settings = Settings, Sample = 12, TempRoot = _temp.Path });
        AssertFiles(r, actual);
        AssertWithin(actual.Rgb, r.Formats[FormatNames.Rgb].Bytes!.Value, 0.01, "rgb");
        AssertWithin(actual.Flow, r.Formats[FormatNames.Flow].Bytes!.Value, 0.01, "flow");
        // On disk: the whole set's files rounded up to 4 KiB blocks, exactly.
        Assert.Equal(4096, r.BlockSize);
        Assert.Equal(actual.RgbAllocated, r.Formats[FormatNames.Rgb].AllocatedBytes);
        Assert.Equal(actual.FlowAllocated, r.Formats[FormatNames.Flow].AllocatedBytes);
        Assert.Equal(actual.RgbAllocated + actual.FlowAllocated, r.Formats[FormatNames.RgbFlow].AllocatedBytes);
        Assert.Empty(Directory.GetDirectories(_temp.Path, "toolkit-estimate-*"));
    }

    [Fact]
    public async Task RunAsync_ThirdOfSet_BytesWithin5PercentAndInsideInterval()
    {
        string source = MakeSet();
        var actual = await ActualAsync(source);
        var r = await MeasuredEstimator.RunAsync(new MeasureOptions { Source = source, Settings = Settings, Sample = 4, Seed = 7, TempRoot = _temp.Path });
        AssertFiles(r, actual);
        Assert.Equal(4, r.Sample!.Used);
        AssertWithin(actual.Rgb, r.Formats[FormatNames.Rgb].Bytes!.Value, 0.05, "rgb");
        AssertWithin(actual.Flow, r.Formats[FormatNames.Flow].Bytes!.Value, 0.05, "flow");
        AssertWithin(actual.Rgb + actual.Flow, r.Formats[FormatNames.RgbFlow].Bytes!.Value, 0.05, "rgb_flow");
        var ci = r.Formats[FormatNames.RgbFlow].BytesCi95!;
        Assert.InRange(actual.Rgb + actual.Flow, ci[0], ci[1]);
        Assert.Empty(Directory.GetDirectories(_temp.Path, "toolkit-estimate-*"));
    }

    [Fact]
    public async Task CountAsync_MegamindBuggy_EqualsWhatExtractWrites()
    {
        Assert.True(File.Exists(TestVideos.MegamindBuggy), "install opencv-doc");
        var count = await FrameCounter.CountAsync(TestVideos.MegamindBuggy, null, CancellationToken.None);
        Assert.Null(count.Error);
        Assert.Equal(270, count.Frames);
        string list = Path.Combine(_temp.Path, "list.txt");
        File.WriteAllText(list, TestVideos.MegamindBuggy + "\n");
        var summary = await ExtractPipeline.RunAsync(new ExtractOptions { Source = list, Output = Path.Combine(_temp.Path, "out"), Settings = new ExtractSettings { ShortSide = 32 } });
        Assert.Equal(count.Frames, summary.Results.Single().Frames);
    }

    private static void AssertFiles(EstimateReport r, (long Rgb, long RgbFiles, long Flow, long FlowFiles, long RgbAllocated, long FlowAllocated) actual)
    {
        Assert.Equal(12, r.Videos);
        Assert.Equal(actual.RgbFiles, r.Formats[FormatNames.Rgb].Files);
        Assert.Equal(actual.FlowFiles, r.Formats[FormatNames.Flow].Files);
    }

    private static void AssertWithin(long actual, long predicted, double tolerance, string what)
    {
        double error = Math.Abs(predicted - actual) / (double)actual;
        Console.WriteLine($"{what}: predicted {predicted}, actual {actual}, error {error:P2}");
        Assert.True(error <= tolerance, $"{what}: predicted {predicted} bytes, actual {actual}: error {error:P2} > {tolerance:P0}");
    }
}

/// <summary>Bad input: clear errors naming the file and the reason, never a zero counted in.</summary>
[Trait("Category", "Failure")]
public sealed class MeasuredEstimatorFailureTests : IDisposable
{
    private readonly TempDirectory _temp = new("estimator-tests-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_EmptyFolder_NamesFolderAndReason()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_temp.Path, "empty")).FullName;
        var e = await Assert.ThrowsAsync<ToolkitError>(() => MeasuredEstimator.RunAsync(new MeasureOptions { Source = empty, Sample = 2 }));
        Assert.Contains(empty, e.Message, StringComparison.Ordinal);
        Assert.Contains("no video found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SampleLargerThanSet_Refused()
    {
        string root = Path.Combine(_temp.Path, "v");
        TestVideos.TestPattern(Path.Combine(root, "a", "x.mp4"), 64, 48, 8);
        TestVideos.TestPattern(Path.Combine(root, "a", "y.mp4"), 64, 48, 8);
        var e = await Assert.ThrowsAsync<ToolkitError>(() => MeasuredEstimator.RunAsync(new MeasureOptions { Source = root, Sample = 3, TempRoot = _temp.Path }));
        Assert.StartsWith("MeasureOptions.Sample: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("larger than the 2 usable", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_temp.Path, "toolkit-estimate-*"));
    }

    [Fact]
    public async Task RunAsync_BrokenVideo_ExcludedWithReasonNotCountedAsZero()
    {
        string root = Path.Combine(_temp.Path, "v");
        string good1 = TestVideos.TestPattern(Path.Combine(root, "a", "x.mp4"), 64, 48, 10);
        TestVideos.TestPattern(Path.Combine(root, "a", "y.mp4"), 64, 48, 12);
        string broken = TestVideos.Truncated(good1, Path.Combine(root, "a", "broken.mp4"), 0.3);
        var r = await MeasuredEstimator.RunAsync(new MeasureOptions
        {
            Source = root, Sample = 2, TempRoot = _temp.Path, Settings = new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.Dis, ShortSide = 32 },
        });
        Assert.Equal(2, r.Videos);
        var excluded = Assert.Single(r.Excluded);
        Assert.Equal(broken, excluded.Path);
        Assert.False(string.IsNullOrWhiteSpace(excluded.Reason));
        Assert.Equal(10 + 12, r.Formats[FormatNames.Rgb].Files);
        Assert.Equal((2 * 9) + (2 * 11), r.Formats[FormatNames.Flow].Files);
        Assert.DoesNotContain(broken, r.Sample!.Videos);
    }
}
