using System.Globalization;
using Toolkit.Core;
using Toolkit.Estimator.Calibration;
using Toolkit.Estimator.Measurement;
using Toolkit.Estimator.Presets;
using Toolkit.Estimator.Reporting;
using Toolkit.Ingest;

namespace Toolkit.Estimator;

/// <summary>
/// Model-only estimates: dataset statistics × calibrated bytes per pixel for the chosen output size, JPEG quality and
/// flow algorithm, with conversion time from calibrated throughput. Answers instantly for presets; for a folder or list it
/// first probes every video and counts its frames (exact files), then applies the calibration to each video.
/// </summary>
public static class ModelEstimator
{
    /// <summary>The flow algorithms timed in every report, in display order.</summary>
    public static IReadOnlyList<FlowAlgorithm> Algorithms { get; } = [FlowAlgorithm.TvL1, FlowAlgorithm.Farneback, FlowAlgorithm.Dis];

    /// <summary>Estimates a preset from its published statistics.</summary>
    public static EstimateReport Estimate(DatasetPreset preset, ExtractSettings settings, CalibrationTable? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var table = calibration ?? CalibrationTable.Embedded;
        var target = settings.TargetSize(preset.Width, preset.Height);
        int shortSide = Math.Min(target.Width, target.Height);
        long pixels = (long)target.Width * target.Height;
        double fps = settings.Fps ?? preset.FramesPerSecond.Mean;
        // As extract's resampling: round(seconds × fps) frames, none when that rounds to 0 (extract fails such videos).
        long frames = (long)Math.Round(preset.DurationSeconds.Mean * fps, MidpointRounding.AwayFromZero);
        if (frames < 1)
        {
            throw new ToolkitError("ExtractSettings.Fps", string.Create(CultureInfo.InvariantCulture,
                    $"{fps:G4} keeps no frame of a typical {preset.Name} video ({preset.DurationSeconds.Mean:0.#} s): extract makes round(seconds × fps) frames and fails videos with none"),
                string.Create(CultureInfo.InvariantCulture, $"Use --fps {0.5 / preset.DurationSeconds.Mean:G3} or more, or leave it out"));
        }
        long flowFiles = 2 * Math.Max(0, frames - 1);
        double rgbPerFrame = pixels * table.RgbBytesPerPixel(shortSide, settings.JpegQuality);
        double flowPerImage = pixels * table.FlowBytesPerPixel(shortSide, settings.JpegQuality, settings.Flow);
        double? frameSpread = preset.DurationSeconds.Spread * fps;

        Dictionary<string, FormatEstimate> For(int videos)
        {
            double rgb = frames * rgbPerFrame, flow = flowFiles * flowPerImage;
            double? rgbSd = frameSpread * rgbPerFrame, flowSd = frameSpread * 2 * flowPerImage;
            return new Dictionary<string, FormatEstimate>
            {
                [FormatNames.Videos] = new(preset.VideoBytes is { } vb ? Round(vb.Mean * videos) : null, videos, null, preset.VideoBytes?.Mean, preset.VideoBytes?.Spread,
                                           preset.VideoBytes is null ? "unknown" : "published"),
                [FormatNames.Rgb] = new(Round(rgb * videos), frames * videos, null, rgb, rgbSd, "calibration"),
                [FormatNames.Flow] = new(Round(flow * videos), flowFiles * videos, null, flow, flowSd, "calibration"),
                [FormatNames.RgbFlow] = new(Round((rgb + flow) * videos), (frames + flowFiles) * videos, null, rgb + flow, rgbSd + flowSd, "calibration"),
            };
        }

        var splits = preset.Splits.Select(s => new SplitEstimate(s.Name, s.Videos, For(s.Videos))).ToList();
        double totalPixels = (double)frames * pixels * preset.TotalVideos;
        var perVideo = new PerVideoStats(
            new Spread(preset.DurationSeconds.Mean, preset.DurationSeconds.Spread), new Spread(frames, frameSpread),
            new Spread(preset.FramesPerSecond.Mean, preset.FramesPerSecond.Spread), new Spread(preset.Width, null), new Spread(preset.Height, null), new Spread(pixels, 0));
        var assumptions = new List<string>
        {
            $"split sizes: {preset.SplitSource}",
            $"duration: {preset.DurationSeconds.Source}",
            $"frame rate: {(settings.Fps is { } f ? $"resampled to {f} fps (--fps)" : preset.FramesPerSecond.Source)}",
            $"resolution: {preset.Width}x{preset.Height} ({preset.ResolutionSource}) → {target} output",
            $"frames per video: {frames} (duration × frame rate); files assume every video has this mean length",
            $"bytes per pixel: {Describe(table)}",
        };
        if (preset.VideoBytes is { } v)
            assumptions.Add($"source videos: {v.Source}");
        else
            assumptions.Add("source videos: no published total size, so their bytes are unknown (null); files = videos");
        return new EstimateReport(EstimateReport.SchemaName, "model", preset.Name, settings, preset.TotalVideos, For(preset.TotalVideos), splits, perVideo,
            TimeRows(table, totalPixels, totalPixels / pixels, null), null, [], assumptions, null);
    }

    /// <summary>Estimates a surveyed folder or list from the calibration table (exact files, modelled bytes).</summary>
    public static EstimateReport Estimate(string input, Survey survey, ExtractSettings settings, CalibrationTable? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(settings);
        var table = calibration ?? CalibrationTable.Embedded;
        var videos = survey.Videos;
        double[] rgb = videos.Select(v => v.RgbFiles * v.TargetPixels * table.RgbBytesPerPixel(Math.Min(v.Target.Width, v.Target.Height), settings.JpegQuality)).ToArray();
        double[] flow = videos.Select(v => v.FlowFiles * v.TargetPixels * table.FlowBytesPerPixel(Math.Min(v.Target.Width, v.Target.Height), settings.JpegQuality, settings.Flow)).ToArray();
        double[] both = rgb.Zip(flow, (a, b) => a + b).ToArray();
        var formats = new Dictionary<string, FormatEstimate>
        {
            [FormatNames.Videos] = Exact(videos.Select(v => (double)v.FileBytes).ToArray(), videos.Count),
            [FormatNames.Rgb] = Modelled(rgb, videos.Sum(v => v.RgbFiles)),
            [FormatNames.Flow] = Modelled(flow, videos.Sum(v => v.FlowFiles)),
            [FormatNames.RgbFlow] = Modelled(both, videos.Sum(v => v.RgbFiles + v.FlowFiles)),
        };
        double totalPixels = videos.Sum(v => (double)v.Frames * v.TargetPixels);
        var assumptions = new List<string>
        {
            $"videos: {videos.Count} found by extract's discovery, probed with ffprobe; frames counted by decoding each one as extract does (files are exact)",
            $"bytes per pixel: {Describe(table)}; content unlike the calibration set's compresses differently: use --sample N to measure",
        };
        if (survey.Excluded.Count > 0)
            assumptions.Add(ExcludedLine(survey.Excluded.Count));
        return new EstimateReport(EstimateReport.SchemaName, "model", input, settings, videos.Count, formats, [], Stats(videos),
            TimeRows(table, totalPixels, videos.Sum(v => (double)v.Frames), null), null, survey.Excluded, assumptions, null);
    }

    internal static string ExcludedLine(int count) =>
        $"excluded: {count} file(s) not counted in any number (unreadable, corrupt, empty, no video stream, no decodable frame, or too short for flow); each is listed with its reason";

    internal static string Describe(CalibrationTable table) =>
        $"calibration table from {table.ProducedBy.Script} on {table.ProducedBy.Machine}, {table.ProducedBy.Date} ({table.ProducedBy.CalibrationSet}), interpolated on short side and JPEG quality";

    internal static IReadOnlyList<TimeEstimate> TimeRows(CalibrationTable table, double totalPixels, double totalFrames, TimeEstimate? measured)
    {
        var rows = new List<TimeEstimate>();
        void Add(ExtractTask task, FlowAlgorithm? algorithm)
        {
            string taskName = task.ToString().ToLowerInvariant();
            string? algName = algorithm?.ToString().ToLowerInvariant();
            if (measured is not null && measured.Task == taskName && measured.Algorithm == algName)
            {
                rows.Add(measured);
                return;
            }
            double seconds = totalPixels / table.PixelsPerSecond(task, algorithm ?? FlowAlgorithm.Dis);
            rows.Add(new TimeEstimate(taskName, algName, seconds, seconds > 0 ? totalFrames / seconds : 0, "calibration"));
        }
        Add(ExtractTask.Rgb, null);
        foreach (var a in Algorithms)
            Add(ExtractTask.Flow, a);
        foreach (var a in Algorithms)
            Add(ExtractTask.Both, a);
        return rows;
    }

    internal static PerVideoStats Stats(IReadOnlyList<SurveyedVideo> videos) => new(
        Of(videos.Select(DurationSeconds)), Of(videos.Select(v => (double)v.Frames)), Of(videos.Select(v => v.Info.FrameRate)),
        Of(videos.Select(v => (double)v.Info.Width)), Of(videos.Select(v => (double)v.Info.Height)), Of(videos.Select(v => (double)v.TargetPixels)));

    /// <summary>
    /// A video's duration: the probed one, or frames / frame rate when the container states none (a stream written to a
    /// pipe, raw MJPEG): ffprobe's missing duration reads as zero, which would pull the mean down. NaN (left out of the
    /// statistics) when neither is known.
    /// </summary>
    internal static double DurationSeconds(SurveyedVideo video) =>
        video.Info.Duration > TimeSpan.Zero ? video.Info.Duration.TotalSeconds
        : video.Info.FrameRate > 0 && double.IsFinite(video.Info.FrameRate) ? video.Frames / video.Info.FrameRate
        : double.NaN;

    internal static Spread Of(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        if (list.Count == 0)
            return new Spread(0, null);
        double mean = list.Average();
        double? sd = list.Count > 1 ? Math.Sqrt(list.Sum(x => (x - mean) * (x - mean)) / (list.Count - 1)) : null;
        return new Spread(mean, sd);
    }

    internal static FormatEstimate Exact(double[] perVideo, long files)
    {
        long total = Round(perVideo.Sum());
        var s = Of(perVideo);
        return new FormatEstimate(total, files, [total, total], s.Mean, s.Sd, "exact");
    }

    private static FormatEstimate Modelled(double[] perVideo, long files)
    {
        var s = Of(perVideo);
        return new FormatEstimate(Round(perVideo.Sum()), files, null, s.Mean, s.Sd, "calibration");
    }

    internal static long Round(double value) => double.IsFinite(value) ? (long)Math.Round(value, MidpointRounding.AwayFromZero) : 0;
}
