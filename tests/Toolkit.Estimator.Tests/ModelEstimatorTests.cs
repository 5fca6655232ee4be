using Toolkit.Estimator.Calibration;
using Toolkit.Estimator.Presets;
using Toolkit.Estimator.Reporting;
using Toolkit.Ingest;

namespace Toolkit.Estimator.Tests;

[Trait("Category", "Unit")]
public class ModelEstimatorTests
{
    [Fact]
    public void Presets_AreConsistent()
    {
        Assert.Equal(7, DatasetPresets.All.Count);
        Assert.Equal(DatasetPresets.All.Count, DatasetPresets.All.Select(p => p.Name).Distinct().Count());
        foreach (var p in DatasetPresets.All)
        {
            Assert.NotEmpty(p.Splits);
            Assert.All(p.Splits, s => Assert.True(s.Videos > 0, $"{p.Name} {s.Name}"));
            Assert.True(p.DurationSeconds.Mean > 0 && p.FramesPerSecond.Mean > 0 && p.Width > 0 && p.Height > 0, p.Name);
            Assert.False(string.IsNullOrWhiteSpace(p.SplitSource) || string.IsNullOrWhiteSpace(p.DurationSeconds.Source)
                || string.IsNullOrWhiteSpace(p.FramesPerSecond.Source) || string.IsNullOrWhiteSpace(p.ResolutionSource), p.Name);
        }
        Assert.Equal(240_618 + 19_404, DatasetPresets.Kinetics400.TotalVideos);
        Assert.Equal(19_994, DatasetPresets.ActivityNet.TotalVideos);
        Assert.Equal(13_320, DatasetPresets.Ucf101.TotalVideos);
    }

    [Fact]
    public void Estimate_Kinetics400_IsFramesTimesPixelsTimesCalibratedBytesPerPixel()
    {
        var settings = new ExtractSettings { Task = ExtractTask.Both, Size = new FrameSize(340, 256), Flow = FlowAlgorithm.Dis };
        var table = CalibrationTable.Embedded;
        var r = ModelEstimator.Estimate(DatasetPresets.Kinetics400, settings);
        const long videos = 260_022, frames = 300; // 10 s × 30 fps
        Assert.Equal(videos * frames, r.Formats[FormatNames.Rgb].Files);
        Assert.Equal(videos * 2 * (frames - 1), r.Formats[FormatNames.Flow].Files);
        Assert.Equal(r.Formats[FormatNames.Rgb].Files + r.Formats[FormatNames.Flow].Files, r.Formats[FormatNames.RgbFlow].Files);
        double rgbPerVideo = frames * 340 * 256 * table.RgbBytesPerPixel(256, 95);
        Assert.Equal(rgbPerVideo * videos, (double)r.Formats[FormatNames.Rgb].Bytes!.Value, 0.5);
        Assert.InRange(r.Formats[FormatNames.RgbFlow].Bytes!.Value - (r.Formats[FormatNames.Rgb].Bytes!.Value + r.Formats[FormatNames.Flow].Bytes!.Value), -1, 1);
        Assert.Equal(r.Splits.Sum(s => s.Formats[FormatNames.Rgb].Files), r.Formats[FormatNames.Rgb].Files);
        Assert.Equal(7, r.Time.Count);
        Assert.All(r.Time, t => Assert.True(double.IsFinite(t.Seconds) && t.Seconds > 0));
    }

    [Fact]
    public void Calibration_InterpolatesBetweenGridPointsAndClampsOutside()
    {
        var t = CalibrationTable.Embedded;
        Assert.Equal(t.Run("both-dis-s256-q95").RgbBytesPerPixel!.Value, t.RgbBytesPerPixel(256, 95), 12);
        double mid = t.RgbBytesPerPixel(192, 95);
        double a = t.RgbBytesPerPixel(128, 95), b = t.RgbBytesPerPixel(256, 95);
        Assert.Equal((a + b) / 2, mid, 12);
        Assert.Equal(t.RgbBytesPerPixel(340, 95), t.RgbBytesPerPixel(1080, 95), 12);
        Assert.True(t.RgbBytesPerPixel(256, 75) < t.RgbBytesPerPixel(256, 95));
        Assert.False(string.IsNullOrWhiteSpace(t.ProducedBy.Machine));
        Assert.Contains("calibrate.sh", t.ProducedBy.Script, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_HasTheDocumentedKeys()
    {
        var r = ModelEstimator.Estimate(DatasetPresets.Ucf101, new ExtractSettings());
        using var doc = System.Text.Json.JsonDocument.Parse(EstimateWriters.ToJson(r));
        var root = doc.RootElement;
        Assert.Equal(13_320, root.GetProperty("videos").GetInt32());
        foreach (string f in (string[])["videos", "rgb", "flow", "rgb_flow"])
        {
            var e = root.GetProperty("formats").GetProperty(f);
            _ = e.GetProperty("bytes");
            _ = e.GetProperty("files").GetInt64();
            _ = e.GetProperty("bytes_ci95");
        }
        Assert.Equal("toolkit.estimate/1", root.GetProperty("schema").GetString());
        Assert.Equal(2, root.GetProperty("splits").GetArrayLength());
    }
}
