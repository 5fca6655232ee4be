using Toolkit.Estimator.Measurement;
using Toolkit.Estimator.Reporting;
using Toolkit.Ingest;
using Toolkit.Ingest.Pipeline;

namespace Toolkit.Estimator.Tests;

/// <summary>The content probe: which frames it takes, and that it encodes them exactly as extract does.</summary>
[Trait("Category", "Unit")]
public sealed class ContentProbeSelectionTests
{
    [Theory]
    [InlineData(300, 6, 50, 25)]    // 300 frames, 6 pairs: frames 25,26, 75,76, ... 275,276
    [InlineData(12, 6, 2, 1)]       // short: frames 1..12, in pairs
    [InlineData(7, 6, 2, 1)]        // shorter than 2 per pair: spacing never below 2
    [InlineData(1000, 4, 250, 125)]
    public void Selection_KnownLength_OnePairInTheMiddleOfEachStretch(double frames, int pairs, int spacing, int offset)
    {
        var selection = new ContentProbe(new ExtractSettings(), pairs, "/tmp").Selection(frames);

        Assert.Equal(new ProbeSelection(spacing, offset, pairs), selection);
        long[] taken = Enumerable.Range(0, (int)Math.Max(frames, 2 * pairs * spacing)).Where(i => selection.Takes(i)).Select(i => (long)i).ToArray();
        Assert.Equal(2 * pairs, taken.Length);
        for (int j = 0; j < pairs; j++)
        {
            Assert.Equal(offset + ((long)j * spacing), taken[2 * j]);
            Assert.Equal(taken[2 * j] + 1, taken[(2 * j) + 1]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(double.NaN)]
    [InlineData(1)]
    public void Selection_UnknownLength_OnePairPerSpacingUpToTheCap(double frames)
    {
        var selection = new ContentProbe(new ExtractSettings(), 6, "/tmp").Selection(frames);
        Assert.Equal(new ProbeSelection(ContentProbe.SpacingWhenLengthUnknown, ContentProbe.SpacingWhenLengthUnknown / 2, ContentProbe.MaxPairs), selection);
    }

    [Fact]
    public void Filter_IsTheSelectExpressionOfTakes()
    {
        Assert.Equal(@"select='gte(n\,5)*lt(mod(n-5\,10)\,2)*lt(n\,45)'", new ProbeSelection(10, 5, 4).Filter);
    }
}

/// <summary>The probe against a real extraction of the same video.</summary>
[Trait("Category", "Integration")]
public sealed class ContentProbeTests : IDisposable
{
    private readonly TempDirectory _temp = new("estimator-tests-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task CountAsync_WithProbe_EncodesTheSelectedFramesByteForByteAsExtract()
    {
        // 40 frames, 4 pairs: spacing 10, frames 5,6, 15,16, 25,26, 35,36 (flow pairs 5, 15, 25, 35).
        string video = TestVideos.Synthetic(Path.Combine(_temp.Path, "v", "clip.mp4"), "mandelbrot=s=200x150:r=25", 40, 8);
        var settings = new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.Farneback, ShortSide = 96 };
        var probe = new ContentProbe(settings, 4, Directory.CreateDirectory(Path.Combine(_temp.Path, "spool")).FullName);
        var target = settings.TargetSize(200, 150);

        var count = await FrameCounter.CountAsync(video, null, probe, target, 40, CancellationToken.None);
        var plain = await FrameCounter.CountAsync(video, null, CancellationToken.None);

        Assert.Null(count.Error);
        Assert.Equal(plain.Frames, count.Frames);
        Assert.Equal(40, count.Frames);
        var content = Assert.IsType<ContentSample>(count.Content);
        Assert.Equal(8, content.RgbImages);
        Assert.Equal(4, content.FlowPairs);
        Assert.Empty(Directory.GetFiles(probe.TempFolder)); // the spool is gone

        string output = Path.Combine(_temp.Path, "out");
        string list = Path.Combine(_temp.Path, "list.txt");
        File.WriteAllText(list, video + "\n");
        var summary = await ExtractPipeline.RunAsync(new ExtractOptions { Source = list, Output = output, Settings = settings });
        Assert.Equal(0, summary.Failed);
        string folder = Path.Combine(output, summary.Results.Single().Output!);
        int[] frames = [5, 6, 15, 16, 25, 26, 35, 36];
        int[] flows = [5, 15, 25, 35];
        long rgb = frames.Sum(i => new FileInfo(Path.Combine(folder, settings.RgbName(i))).Length);
        long flow = flows.Sum(i => new FileInfo(Path.Combine(folder, settings.FlowXName(i))).Length + new FileInfo(Path.Combine(folder, settings.FlowYName(i))).Length);
        Assert.Equal(rgb, content.RgbBytes);
        Assert.Equal(flow, content.FlowBytes);
        Assert.Equal((long)target.Width * target.Height, content.PixelsPerImage);
    }

    [Fact]
    public async Task Survey_ContainerOverstatesLength_ProbesAgainOverTheRealFrames()
    {
        Assert.True(File.Exists(TestVideos.Tree), "install opencv-doc");
        string list = Path.Combine(_temp.Path, "tree.txt");
        File.WriteAllText(list, TestVideos.Tree + "\n");
        var settings = new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.Dis, ShortSide = 96, Level = 1 };

        var survey = await VideoSurvey.RunAsync(list, settings, null, 1, CancellationToken.None, new ContentProbe(settings, 6, _temp.Path));

        var tree = Assert.Single(survey.Videos);
        Assert.Equal(444, tree.Info.DeclaredFrames);
        Assert.Equal(68, tree.Frames);
        Assert.Equal(6, tree.Content!.FlowPairs);   // spread over 444 frames, only one pair would fall inside the 68
        Assert.Equal(12, tree.Content.RgbImages);
    }

    [Fact]
    public async Task CountAsync_WithProbeAndFps_CountsAsWithout()
    {
        string video = TestVideos.TestPattern(Path.Combine(_temp.Path, "v", "p.mp4"), 160, 120, 50);
        var settings = new ExtractSettings { Task = ExtractTask.Rgb, ShortSide = 64, Fps = 10 };
        var probe = new ContentProbe(settings, 3, _temp.Path);

        var with = await FrameCounter.CountAsync(video, 10, probe, settings.TargetSize(160, 120), 20, CancellationToken.None);
        var without = await FrameCounter.CountAsync(video, 10, CancellationToken.None);

        Assert.Equal(without.Frames, with.Frames);
        Assert.Equal(20, with.Frames);
        Assert.Equal(6, with.Content!.RgbImages);
        Assert.Equal(0, with.Content.FlowPairs);
    }
}

/// <summary>
/// The issue's accuracy target on content unlike a single test pattern: a set of very different compressibility, a third
/// of it sampled, several seeds, each within ±5% of the real extraction.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HeterogeneousAccuracyTests : IDisposable
{
    private static readonly ExtractSettings Settings = new() { Task = ExtractTask.Both, Flow = FlowAlgorithm.Dis, ShortSide = 96 };
    private readonly TempDirectory _temp = new("estimator-tests-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_ThirdOfAVariedSet_Within5PercentOnEverySeed()
    {
        string root = Path.Combine(_temp.Path, "videos");
        // Bytes per pixel differ about 6x across these: flat bars, a smooth fractal, cellular automata, heavy grain.
        (string Name, string Source, int Frames, int Noise)[] set =
        [
            ("bars", "smptehdbars=s=192x108:r=25", 30, 0),
            ("bars_grain", "smptehdbars=s=192x108:r=25", 36, 24),
            ("fractal", "mandelbrot=s=160x120:r=25", 40, 0),
            ("fractal_grain", "mandelbrot=s=160x120:r=25", 28, 10),
            ("life", "life=s=160x120:r=25:mold=10:ratio=0.5:seed=1", 44, 0),
            ("life_grain", "life=s=160x120:r=25:mold=10:ratio=0.5:seed=2", 32, 14),
            ("cells", "cellauto=s=176x144:r=25:rule=110:seed=3", 38, 0),
            ("cells_grain", "cellauto=s=176x144:r=25:rule=30:seed=4", 26, 20),
            ("pattern", "testsrc2=s=160x120:r=25", 42, 0),
            ("pattern_grain", "testsrc2=s=192x108:r=25", 34, 12),
            ("test", "testsrc=s=176x144:r=25", 30, 30),
            ("rgbtest", "rgbtestsrc=s=160x120:r=25", 24, 6),
        ];
        foreach (var (name, source, frames, noise) in set)
            TestVideos.Synthetic(Path.Combine(root, $"{name}.mp4"), source, frames, noise);
        string output = Path.Combine(_temp.Path, "actual");
        var summary = await ExtractPipeline.RunAsync(new ExtractOptions { Source = root, Output = output, Settings = Settings with { Level = 1 } });
        Assert.Equal(0, summary.Failed);
        long rgb = 0, flow = 0;
        foreach (var f in new DirectoryInfo(output).EnumerateFiles("*.jpg", SearchOption.AllDirectories))
        {
            if (f.Name.StartsWith("img_", StringComparison.Ordinal)) rgb += f.Length;
            else flow += f.Length;
        }

        foreach (int seed in (int[])[1, 2, 3])
        {
            var r = await MeasuredEstimator.RunAsync(new MeasureOptions { Source = root, Settings = Settings with { Level = 1 }, Sample = 4, Seed = seed, TempRoot = _temp.Path });
            AssertWithin(rgb, r.Formats[FormatNames.Rgb].Bytes!.Value, $"seed {seed} rgb");
            AssertWithin(flow, r.Formats[FormatNames.Flow].Bytes!.Value, $"seed {seed} flow");
            AssertWithin(rgb + flow, r.Formats[FormatNames.RgbFlow].Bytes!.Value, $"seed {seed} rgb_flow");
            var ci = r.Formats[FormatNames.RgbFlow].BytesCi95!;
            Assert.InRange(rgb + flow, ci[0], ci[1]);
            var measured = r.Sample!.Measured!;
            Assert.Equal(4, measured.Count);
            Assert.All(measured, m => Assert.True(m.PredictedRgbBytes > 0 && m.PredictedFlowBytes > 0, $"{m.Path}: no prediction"));
        }
        Assert.Empty(Directory.GetDirectories(_temp.Path, "toolkit-estimate-*"));
    }

    private static void AssertWithin(long actual, long predicted, string what)
    {
        double error = (predicted - actual) / (double)actual;
        Console.WriteLine($"{what}: predicted {predicted}, actual {actual}, error {error:P2}");
        Assert.True(Math.Abs(error) <= 0.05, $"{what}: predicted {predicted} bytes, actual {actual}: error {error:P2}, beyond ±5%");
    }
}
