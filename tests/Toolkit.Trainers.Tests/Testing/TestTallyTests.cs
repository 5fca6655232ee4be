using OpenCvSharp;
using Toolkit.Core;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Hosting.Testing;

namespace Toolkit.Trainers.Tests.Testing;

/// <summary>The test metrics against hand-computed values (and mmaction2's definitions), and the test section's defaults.</summary>
public sealed class TestTallyTests
{
    [Fact]
    public void Rank_OrdersByScore_TiesByLowerIndex()
    {
        Assert.Equal([2, 0, 3, 1], TestTally.Rank([0.3f, 0.1f, 0.5f, 0.3f], 4));
        Assert.Equal([2, 0], TestTally.Rank([0.3f, 0.1f, 0.5f, 0.3f], 2));
    }

    [Fact]
    public void TopK_And_MeanClassAccuracy_MatchHandComputedValues()
    {
        // 7 classes; label → ranking. Videos: (0 → 0 …) hit; (0 → 1, 0 second) top-5 hit; (1 → 1) hit;
        // (2 → 6, 2 sixth) miss in top-5; (3 → 3) hit.
        var tally = new TestTally(7, ["a", "b", "c", "d", "e", "f", "g"]);
        tally.Add(0, [0, 1, 2, 3, 4]);
        tally.Add(0, [1, 0, 2, 3, 4]);
        tally.Add(1, [1, 0, 2, 3, 4]);
        tally.Add(2, [6, 0, 1, 3, 4]);
        tally.Add(3, [3, 0, 1, 2, 4]);
        Assert.Equal(5, tally.Videos);
        Assert.Equal(3 / 5.0, tally.Top1, 12);
        Assert.Equal(4 / 5.0, tally.Top5!.Value, 12);
        // mmaction2: classes that are a label or a prediction: 0 (1/2), 1 (1/1), 2 (0/1), 3 (1/1), 6 (predicted only: 0).
        Assert.Equal((0.5 + 1 + 0 + 1 + 0) / 5, tally.MeanClassAccuracy, 12);
        var perClass = tally.PerClass();
        Assert.Equal(new ClassAccuracy(0, "a", 2, 1, 1), perClass[0]);
        Assert.Equal(new ClassAccuracy(1, "b", 1, 1, 2), perClass[1]);
        Assert.Null(perClass[5].Accuracy);
        Assert.Equal(1, tally.Confusion(2, 6));
        Assert.Equal(1, tally.Confusion(0, 1));
        string csv = tally.PerClassCsv();
        Assert.StartsWith("class,name,videos,correct,accuracy,predicted\n0,a,2,1,0.500000,1\n", csv, StringComparison.Ordinal);
        Assert.Contains("\n5,f,0,0,,0\n", csv, StringComparison.Ordinal);
        Assert.StartsWith("label\\predicted,0,1,2,3,4,5,6\n0,1,1,0,0,0,0,0\n", tally.ConfusionCsv(), StringComparison.Ordinal);
    }

    [Fact]
    public void Top5_IsNull_WithFiveClassesOrFewer()
    {
        var tally = new TestTally(3, []);
        tally.Add(1, [0, 1, 2]);
        Assert.Null(tally.Top5);
        Assert.Equal(0, tally.Top1);
        Assert.Equal("2", tally.Names[2]);
    }

    [Fact]
    public void ConfusionPng_DrawsTheFirstLabelAtTheTop_AndPredictionsLeftToRight()
    {
        // Only label 0 → predicted 3 is non-zero: its cell (top right, as a matrix is read) must be the bright one.
        var tally = new TestTally(4, ["w", "x", "y", "z"]);
        tally.Add(0, [3, 0, 1, 2]);
        byte[] png = tally.ConfusionPng("orientation");
        using var image = Cv2.ImDecode(png, ImreadModes.Color);
        using var hsv = image.CvtColor(ColorConversionCodes.BGR2HSV);
        // Viridis at 1 is yellow (hue ≈ 25–35 in OpenCV's 0–180 scale, strongly saturated and bright).
        using var yellow = hsv.InRange(new Scalar(20, 150, 150), new Scalar(40, 255, 255));
        // Leave the colour bar (right of the plot area) out: it holds yellow too.
        using var plotArea = new Mat(yellow, new Rect(0, 0, image.Width * 3 / 4, image.Height));
        var moments = Cv2.Moments(plotArea, binaryImage: true);
        Assert.True(moments.M00 > 100, "no yellow cell found");
        double cx = moments.M10 / moments.M00, cy = moments.M01 / moments.M00;
        Assert.True(cx > image.Width * 0.45, $"the bright cell is at x {cx:F0} of {image.Width}: predicted 3 should be on the right");
        Assert.True(cy < image.Height * 0.45, $"the bright cell is at y {cy:F0} of {image.Height}: label 0 should be at the top");
    }

    private static DataConfig Data(int crop = 224, string valRecipe = "center", int valClips = 1) =>
        new() { Train = "t.txt", Classes = 3, Crop = crop, ValRecipe = valRecipe, ValClips = valClips, ClipLen = 16, FrameInterval = 4, Batch = 6 };

    [Fact]
    public void Resolve_TakesUnsetKeysFromTheDataSection_AndMmaction2sScale()
    {
        var p = new TestConfig().Resolve(Data(valRecipe: "three", valClips: 2));
        Assert.Equal((2, TestCrops.Three, 224, 256, 16, 4, 6, ScoreAveraging.Prob), (p.Clips, p.Crops, p.Crop, p.Scale, p.ClipLen, p.FrameInterval, p.Batch, p.Average));
        Assert.Equal(6, p.ViewsPerVideo);
        Assert.Equal(73, new TestConfig().Resolve(Data(crop: 64)).Scale);
        var ten = new TestConfig { Clips = 10, Crops = "ten", Crop = 256, Scale = 256, Average = "score" }.Resolve(Data());
        Assert.Equal((10, TestCrops.Ten, 256, 256, ScoreAveraging.Score, 100), (ten.Clips, ten.Crops, ten.Crop, ten.Scale, ten.Average, ten.ViewsPerVideo));
        var tsn = new TestConfig { Segments = 25, Crops = "ten" }.Resolve(Data());
        Assert.Equal((25, 1, 1, true, 250), (tsn.Clips, tsn.ClipLen, tsn.FrameInterval, tsn.Segments, tsn.ViewsPerVideo));
        Assert.Contains("25 segments × 10 crops (TenCrop 224 after Resize(-1, 256))", tsn.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ClipsPerForward_AllOnAGpu_8MiBOfInputOnACpu_OrAsSet()
    {
        // mmaction2's X3D-M test views: 3 × 16 × 256² float32 = 12.6 MB per clip: one clip per pass on a CPU.
        var x3d = new TestProtocol { Clips = 10, Crops = TestCrops.Three, ClipLen = 16, Crop = 256, Batch = 2 };
        Assert.Equal(1, x3d.ClipsPerForwardOn(TorchSharp.DeviceType.CPU));
        Assert.Equal(60, x3d.ClipsPerForwardOn(TorchSharp.DeviceType.CUDA));
        // The demo's 8 × 96² clips: 0.88 MB each, 9 fit in 8 MiB (a batch has 4 × 9 = 36 views).
        var demo = new TestProtocol { Clips = 3, Crops = TestCrops.Three, ClipLen = 8, Crop = 96, Batch = 4 };
        Assert.Equal(9, demo.ClipsPerForwardOn(TorchSharp.DeviceType.CPU));
        // Never more than a batch holds: one video with one view.
        Assert.Equal(1, (demo with { Batch = 1, Clips = 1, Crops = TestCrops.Center }).ClipsPerForwardOn(TorchSharp.DeviceType.CPU));
        Assert.Equal(5, (x3d with { ClipsPerForward = 5 }).ClipsPerForwardOn(TorchSharp.DeviceType.CPU));
    }

    [Theory]
    [InlineData("""{"scale": 200}""", "test.scale 200 is below the test crop 224")]
    [InlineData("""{"crops": "five"}""", "test.crops 'five' is not center, three or ten")]
    [InlineData("""{"average": "max"}""", "test.average 'max' is not prob or score")]
    [InlineData("""{"segments": 8, "clips": 2}""", "test.segments is set with test.clips")]
    [InlineData("""{"clips": -1}""", "test.clips is -1")]
    public void Config_RefusesBadTestSections_NamingTheKey(string section, string expected)
    {
        string path = Path.Combine(Path.GetTempPath(), $"toolkit-testcfg-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""{"data": {"train": "t.txt", "classes": 3}, "test": {{section}}}""");
        try
        {
            var e = Assert.Throws<ToolkitError>(() => TrainingConfig.Load(path));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
