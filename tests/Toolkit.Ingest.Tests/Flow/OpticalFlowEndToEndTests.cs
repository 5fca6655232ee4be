using OpenCvSharp;
using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Flow;

/// <summary>
/// A textured clip whose content moves a known distance per frame: the crop window moves 4 px right per frame, so
/// the content moves 4 px left (flow x = −4, flow y = 0). Shared by every algorithm's test.
/// </summary>
public sealed class TranslatingClipFixture : IDisposable
{
    /// <summary>Window motion per frame (pixels); the content's motion is the opposite.</summary>
    public const int WindowDx = 4;

    public TranslatingClipFixture()
    {
        TestVideos.Translating(Temp.Combine("src", "motion", "left4.mkv"), windowDx: WindowDx, windowDy: 0, width: 256, height: 192, frames: 8);
    }

    public TempDirectory Temp { get; } = new();

    public string Source => Temp.Combine("src");

    public void Dispose() => Temp.Dispose();
}

/// <summary>
/// End to end: decode → flow → quantize → JPEG, checked against the ground truth. The median over the interior (borders,
/// where content enters and leaves, excluded) must be within ±2 levels of round(255·(v + 20)/40), i.e. within ±0.3 px.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OpticalFlowEndToEndTests(TranslatingClipFixture clip) : IClassFixture<TranslatingClipFixture>, IDisposable
{
    private const double Bound = 20;
    private const int Margin = 24;
    private const int Tolerance = 2;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public Task RunAsync_FarnebackOnTranslation_QuantizesTheTrueDisplacement() => Check(FlowAlgorithm.Farneback);

    [NativeShimFact]
    public Task RunAsync_DisOnTranslation_QuantizesTheTrueDisplacement() => Check(FlowAlgorithm.Dis);

    [NativeShimFact]
    public Task RunAsync_TvL1OnTranslation_QuantizesTheTrueDisplacement() => Check(FlowAlgorithm.TvL1);

    private async Task Check(FlowAlgorithm algorithm)
    {
        var settings = new ExtractSettings { Task = ExtractTask.Flow, Flow = algorithm, ShortSide = 0, FlowBound = Bound };

        var summary = await Extract.RunAsync(clip.Source, _temp.Combine("out"), settings);

        var result = Assert.Single(summary.Results);
        Assert.True(result.Status == VideoStatus.Done, result.Reason);
        Assert.Equal(7, result.Flows);
        int expectedX = Level(-TranslatingClipFixture.WindowDx); // content moves left: 102
        int expectedY = Level(0);                                 // 128
        Assert.Equal((102, 128), (expectedX, expectedY));
        string folder = _temp.Combine("out", "motion", "left4");
        var wrong = new List<string>();
        for (int i = 1; i <= result.Flows; i++)
        {
            int x = InteriorMedian(Path.Combine(folder, $"flow_x_{i:D5}.jpg"));
            int y = InteriorMedian(Path.Combine(folder, $"flow_y_{i:D5}.jpg"));
            if (Math.Abs(x - expectedX) > Tolerance || Math.Abs(y - expectedY) > Tolerance)
                wrong.Add($"flow {i:D5}: medians x {x}, y {y}");
        }
        if (wrong.Count > 0)
        {
            string kept = OutputTree.Keep(folder, $"flow-{algorithm}");
            Assert.Fail($"{algorithm}: expected x {expectedX}, y {expectedY} (±{Tolerance}) but {string.Join("; ", wrong)}. Output kept in {kept}");
        }
    }

    /// <summary>The quantized level of a displacement of <paramref name="v"/> pixels.</summary>
    private static int Level(double v) => (int)Math.Round(255 * (v + Bound) / (2 * Bound), MidpointRounding.ToEven);

    private static int InteriorMedian(string path)
    {
        using var image = Cv2.ImRead(path, ImreadModes.Grayscale);
        Assert.False(image.Empty(), $"{path} is missing or unreadable");
        using var interior = image[new Rect(Margin, Margin, image.Width - 2 * Margin, image.Height - 2 * Margin)].Clone();
        interior.GetArray(out byte[] values);
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
