using System.Diagnostics;
using Toolkit.Core;
using Toolkit.Estimator.Calibration;
using Toolkit.Estimator.Measurement;
using Toolkit.Estimator.Reporting;
using Toolkit.Estimator.Statistics;
using Toolkit.Ingest;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Pipeline;

namespace Toolkit.Estimator;

/// <summary>What measured mode needs.</summary>
public sealed record MeasureOptions
{
    /// <summary>A folder of videos (searched recursively, as extract does) or a list file.</summary>
    public required string Source { get; init; }

    /// <summary>The extract settings the plan is for; the sample is extracted with exactly these.</summary>
    public ExtractSettings Settings { get; init; } = new();

    /// <summary>Extensions to take (without dots), or null for every file.</summary>
    public IReadOnlyCollection<string>? Extensions { get; init; } = SourceDiscovery.DefaultExtensions.ToArray();

    /// <summary>Videos to extract (≥ 2, or the whole set).</summary>
    public int Sample { get; init; }

    /// <summary>Seed of the random sample: the same seed, input and sample size pick the same videos.</summary>
    public int Seed { get; init; }

    /// <summary>Encode/flow threads of the sample extraction.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Videos decoded at once during the sample extraction (and probed/counted at once during the survey).</summary>
    public int Decoders { get; init; } = 2;

    /// <summary>Probing and the sample's extraction in process (libav, default) or with ffmpeg processes.</summary>
    public VideoDecoderKind Decoder { get; init; } = VideoDecoderKind.Libav;

    /// <summary>
    /// Frame pairs of every video encoded during the survey (the content probe, see <see cref="ContentProbe"/>); the
    /// ratio estimator uses what they predict for each video as its auxiliary size.
    /// </summary>
    public int ProbePairs { get; init; } = ContentProbe.DefaultPairs;

    /// <summary>File-system block size the allocated bytes are computed for (the target's, when planning for one).</summary>
    public int BlockSize { get; init; } = Allocation.DefaultBlockSize;

    /// <summary>Counts the survey and the sample extraction as they go (for a progress display), if given.</summary>
    public SurveyProgress? Progress { get; init; }

    /// <summary>Where the temporary sample output goes (default: the system temp folder); it is always deleted.</summary>
    public string? TempRoot { get; init; }

    /// <summary>
    /// Called with the paths of each batch of sampled videos after the survey and before they are extracted. A seam for
    /// the tests: it lets one change a file between the survey and the extraction (as a dataset still being copied does)
    /// to drive the report-and-replace path with a real extraction failure.
    /// </summary>
    internal Action<IReadOnlyList<string>>? BeforeSampleExtract { get; init; }
}

/// <summary>
/// Measured mode: extracts a seeded random sample of the input through <see cref="ExtractPipeline.RunAsync"/> (the code
/// path that later writes the data) into a temporary folder, measures bytes per output pixel per format and throughput,
/// and extrapolates to every usable video with <see cref="RatioEstimator"/> (95% interval). Files are exact: every video's
/// frames are counted by <see cref="VideoSurvey"/>. The sample output is deleted whatever happens.
/// </summary>
public static class MeasuredEstimator
{
    private sealed record Measured(SurveyedVideo Video, long RgbBytes, long RgbFiles, long FlowBytes, long FlowFiles, long RgbAllocated, long FlowAllocated);

    /// <summary>Runs measured mode.</summary>
    /// <exception cref="ToolkitError">No usable video, a sample size that does not fit the set, or too many sampled videos that fail to extract.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the sample output is removed.</exception>
    public static async Task<EstimateReport> RunAsync(MeasureOptions options, CalibrationTable? calibration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Settings.Validate();
        var table = calibration ?? CalibrationTable.Embedded;
        if (options.Sample < 1)
            throw new ToolkitError("MeasureOptions.Sample", $"{options.Sample} is not a sample size", "Use a sample of N videos with 2 ≤ N ≤ the number of videos");
        if (options.ProbePairs is < 1 or > ContentProbe.MaxPairs)
            throw new ToolkitError("MeasureOptions.ProbePairs", $"{options.ProbePairs} is out of range", $"Use 1..{ContentProbe.MaxPairs} frame pairs per video ({ContentProbe.DefaultPairs} by default)");
        using var scratch = ScratchFolder.Create(options.TempRoot ?? Path.GetTempPath());
        string temp = scratch.Path;
        var measured = new List<Measured>();
        var failed = new List<ExcludedVideo>();
        var clock = Stopwatch.StartNew();
        double pipelineSeconds = 0, surveySeconds;
        int cursor = 0, round = 0, population;
        Survey survey;
        try
        {
            survey = await VideoSurvey.RunAsync(options.Source, settings, options.Extensions, options.Decoders, cancellationToken,
                new ContentProbe(settings, options.ProbePairs, temp), options.Decoder, options.Progress).ConfigureAwait(false);
            surveySeconds = clock.Elapsed.TotalSeconds;
            population = survey.Videos.Count;
            CheckSampleSize(options, survey);

            // Seeded Fisher-Yates over the discovery order (sorted by key): the same seed picks the same videos.
            var rng = new Random(options.Seed);
            int[] order = Enumerable.Range(0, population).ToArray();
            rng.Shuffle(order);
            while (measured.Count < options.Sample && cursor < population)
            {
                int take = Math.Min(options.Sample - measured.Count, population - cursor);
                var batch = order.Skip(cursor).Take(take).Select(i => survey.Videos[i]).ToList();
                cursor += take;
                options.BeforeSampleExtract?.Invoke(batch.Select(v => v.Source.Path).ToList());
                options.Progress?.AddSample(batch.Count);
                var (done, bad, seconds) = await ExtractAsync(batch, options, settings, Path.Combine(temp, $"round-{round++}"), cancellationToken).ConfigureAwait(false);
                measured.AddRange(done);
                failed.AddRange(bad);
                pipelineSeconds += seconds;
            }
        }
        finally
        {
            scratch.Dispose();
        }
        // Every usable video was tried and some failed: what was extracted is the whole remaining set (exact, no sampling
        // error), which is still an answer. Fewer than asked otherwise, or nothing at all, is not.
        bool wholeSetTried = cursor == population;
        if (measured.Count == 0 || (measured.Count < options.Sample && !wholeSetTried))
        {
            throw new ToolkitError(options.Source, $"only {measured.Count} of the {population} usable video(s) could be extracted, fewer than --sample {options.Sample}; "
                + $"{failed.Count} failed, first: {failed[0].Path}: {failed[0].Reason}", "Fix or remove the broken videos, or sample fewer");
        }

        var failedPaths = failed.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var videos = survey.Videos.Where(v => !failedPaths.Contains(v.Source.Path)).ToList();
        return Build(options, settings, table, videos, measured, failed, survey.Excluded, pipelineSeconds, surveySeconds, clock.Elapsed.TotalSeconds - surveySeconds);
    }

    private static void CheckSampleSize(MeasureOptions options, Survey survey)
    {
        int population = survey.Videos.Count;
        if (options.Sample > population)
        {
            string excluded = survey.Excluded.Count == 0 ? "" : $" ({survey.Excluded.Count} other file(s) excluded: first {survey.Excluded[0].Path}: {survey.Excluded[0].Reason})";
            throw new ToolkitError("MeasureOptions.Sample", $"{options.Sample} is larger than the {population} usable video(s) of {options.Source}{excluded}", $"Use a sample of {population} or less");
        }
        if (options.Sample == 1 && population > 1)
            throw new ToolkitError("MeasureOptions.Sample", "1 video cannot give a confidence interval", "Use a sample of 2 or more");
    }

    private static EstimateReport Build(MeasureOptions options, ExtractSettings settings, CalibrationTable table, List<SurveyedVideo> videos,
        List<Measured> measured, List<ExcludedVideo> failed, IReadOnlyList<ExcludedVideo> excluded, double pipelineSeconds, double surveySeconds, double sampleSeconds)
    {
        int n = videos.Count;
        // The auxiliary size of each video: the bytes its probed frames predict (their bytes per pixel × its output
        // pixels). A video whose probe encoded nothing (cannot happen for a video with frames, but never trust it)
        // gets the median of the others, and the assumptions say how many did.
        double rgbFallback = Median(videos.Select(v => v.Content?.RgbBytesPerPixel));
        double flowFallback = Median(videos.Select(v => v.Content?.FlowBytesPerPixel));
        double RgbX(SurveyedVideo v) => (double)v.RgbFiles * v.TargetPixels * (v.Content?.RgbBytesPerPixel ?? rgbFallback);
        double FlowX(SurveyedVideo v) => ((double)v.FlowFiles / 2) * v.TargetPixels * (v.Content?.FlowBytesPerPixel ?? flowFallback);
        int unprobed = videos.Count(v => (settings.WritesRgb && v.Content?.RgbBytesPerPixel is null) || (settings.WritesFlow && v.Content?.FlowBytesPerPixel is null));
        FormatEstimate Ratio(Func<SurveyedVideo, double> x, Func<Measured, double> y, Func<Measured, double> allocated, long files)
        {
            double[] sampleX = measured.Select(m => x(m.Video)).ToArray();
            double populationX = videos.Sum(x), populationX2 = videos.Sum(v => x(v) * x(v));
            var est = RatioEstimator.EstimateTotal(sampleX, measured.Select(y).ToArray(), populationX, n, populationX2);
            // Whole blocks of the sample's real files, extrapolated the same way.
            var alloc = RatioEstimator.EstimateTotal(sampleX, measured.Select(allocated).ToArray(), populationX, n, populationX2);
            var perVideo = ModelEstimator.Of(measured.Select(y));
            return new FormatEstimate(ModelEstimator.Round(est.Total), files, [ModelEstimator.Round(est.Low), ModelEstimator.Round(est.High)],
                est.Total / n, perVideo.Sd, "measured", ModelEstimator.Round(alloc.Total));
        }
        FormatEstimate Model(Func<SurveyedVideo, double> bytes, long files)
        {
            var perVideo = ModelEstimator.Of(videos.Select(bytes));
            return new FormatEstimate(ModelEstimator.Round(videos.Sum(bytes)), files, null, perVideo.Mean, perVideo.Sd, "calibration");
        }
        int Side(SurveyedVideo v) => Math.Min(v.Target.Width, v.Target.Height);
        double ModelRgb(SurveyedVideo v) => RgbX(v) * table.RgbBytesPerPixel(Side(v), settings.JpegQuality);
        double ModelFlow(SurveyedVideo v) => FlowX(v) * table.FlowBytesPerPixel(Side(v), settings.JpegQuality, settings.Flow);

        long rgbFiles = videos.Sum(v => v.RgbFiles), flowFiles = videos.Sum(v => v.FlowFiles);
        var rgb = settings.WritesRgb ? Ratio(RgbX, m => m.RgbBytes, m => m.RgbAllocated, rgbFiles) : Model(ModelRgb, rgbFiles);
        var flow = settings.WritesFlow ? Ratio(FlowX, m => m.FlowBytes, m => m.FlowAllocated, flowFiles) : Model(ModelFlow, flowFiles);
        FormatEstimate both;
        if (settings.Task == ExtractTask.Both)
            both = Ratio(v => RgbX(v) + FlowX(v), m => m.RgbBytes + m.FlowBytes, m => m.RgbAllocated + m.FlowAllocated, rgbFiles + flowFiles);
        else
        {
            // One part measured, the other modelled: the interval covers the measured part's sampling error only.
            long model = settings.WritesRgb ? flow.Bytes!.Value : rgb.Bytes!.Value;
            var part = settings.WritesRgb ? rgb : flow;
            long total = part.Bytes!.Value + model;
            var modelled = settings.WritesRgb ? flow : rgb;
            modelled = modelled with { AllocatedBytes = Allocation.Approximate(modelled.Bytes, modelled.Files, options.BlockSize) };
            if (settings.WritesRgb) flow = modelled; else rgb = modelled;
            both = new FormatEstimate(total, rgbFiles + flowFiles, [part.BytesCi95![0] + model, part.BytesCi95[1] + model],
                (double)total / n, null, "measured+calibration", part.AllocatedBytes + modelled.AllocatedBytes);
        }
        var formats = new Dictionary<string, FormatEstimate>
        {
            [FormatNames.Videos] = ModelEstimator.Exact(videos.Select(v => (double)v.FileBytes).ToArray(), n)
                with { AllocatedBytes = videos.Sum(v => Allocation.OfFile(v.FileBytes, options.BlockSize)) },
            [FormatNames.Rgb] = rgb,
            [FormatNames.Flow] = flow,
            [FormatNames.RgbFlow] = both,
        };

        double totalPixels = videos.Sum(v => (double)v.Frames * v.TargetPixels);
        double totalFrames = videos.Sum(v => (double)v.Frames);
        double samplePixels = measured.Sum(m => (double)m.Video.Frames * m.Video.TargetPixels);
        double sampleFrames = measured.Sum(m => (double)m.Video.Frames);
        string task = settings.Task.ToString().ToLowerInvariant();
        string? algorithm = settings.WritesFlow ? settings.Flow.ToString().ToLowerInvariant() : null;
        double seconds = pipelineSeconds > 0 ? totalPixels / (samplePixels / pipelineSeconds) : 0;
        var timed = new TimeEstimate(task, algorithm, seconds, pipelineSeconds > 0 ? sampleFrames / pipelineSeconds : 0, "measured");

        var mismatches = measured.Where(m => (settings.WritesRgb && m.RgbFiles != m.Video.RgbFiles) || (settings.WritesFlow && m.FlowFiles != m.Video.FlowFiles)).ToList();
        var assumptions = new List<string>
        {
            $"videos: {n} usable (found by extract's discovery, probed, frames counted by decoding each one as extract does: files are exact)",
            $"sample: {measured.Count} video(s) drawn at random with seed {options.Seed}, extracted through the extract pipeline in {sampleSeconds:0.#} s"
                + (failed.Count > 0 ? $"; {failed.Count} sampled video(s) failed to extract and were {(measured.Count < options.Sample ? "excluded (no other video was left to replace them, so the sample is every remaining video)" : "replaced by the next in the seeded order and excluded")}" : ""),
            $"survey: every video probed, its frames counted and {options.ProbePairs} pair(s) of its frames encoded as extract would (the content probe) in {surveySeconds:0.#} s",
            "bytes: ratio estimator with the content probe's prediction of each video's bytes as auxiliary (Σ sample bytes / Σ sample predictions × Σ all predictions), 95% interval: the larger of the design-based variance (with finite-population correction) and the model-based one for errors proportional to size",
            $"time: {task}{(algorithm is null ? "" : " " + algorithm)} measured on the sample on this machine; other tasks and algorithms from the {ModelEstimator.Describe(table)}",
        };
        if (unprobed > 0)
            assumptions.Add($"content probe: {unprobed} video(s) gave no probe frame; the median bytes per pixel of the others stands in for theirs");
        if (excluded.Count + failed.Count > 0)
            assumptions.Add(ModelEstimator.ExcludedLine(excluded.Count + failed.Count));
        if (!settings.WritesRgb || !settings.WritesFlow)
            assumptions.Add($"{(settings.WritesRgb ? "flow" : "rgb")} bytes: not extracted (--task {task}), modelled from the calibration table; use --task both to measure both");
        foreach (var m in mismatches)
            assumptions.Add($"{m.Video.Source.Path}: extract wrote {m.RgbFiles} RGB and {m.FlowFiles} flow file(s) but {m.Video.RgbFiles} and {m.Video.FlowFiles} were counted");
        var perVideo = measured.Select(m => new SampledVideoBytes(m.Video.Source.Path, m.RgbFiles, m.RgbBytes, m.FlowFiles, m.FlowBytes,
            settings.WritesRgb ? ModelEstimator.Round(RgbX(m.Video)) : null, settings.WritesFlow ? ModelEstimator.Round(FlowX(m.Video)) : null)).ToList();
        var sample = new SampleInfo(options.Sample, measured.Count, options.Seed, measured.Select(m => m.Video.Source.Path).ToList(), failed, sampleSeconds, perVideo, surveySeconds);
        assumptions.Add($"allocated bytes: the sampled files' sizes rounded up to whole {options.BlockSize}-byte blocks, extrapolated as the bytes are");
        return new EstimateReport(EstimateReport.SchemaName, "measured", options.Source, settings, n, formats, [], ModelEstimator.Stats(videos),
            ModelEstimator.TimeRows(table, totalPixels, totalFrames, timed), sample, [.. excluded, .. failed], assumptions, null, options.BlockSize);
    }

    private static double Median(IEnumerable<double?> values)
    {
        var known = values.Where(v => v is > 0 && double.IsFinite(v.Value)).Select(v => v!.Value).Order().ToArray();
        return known.Length == 0 ? 1 : known.Length % 2 == 1 ? known[known.Length / 2] : (known[(known.Length / 2) - 1] + known[known.Length / 2]) / 2;
    }

    private static async Task<(List<Measured> Done, List<ExcludedVideo> Failed, double Seconds)> ExtractAsync(
        List<SurveyedVideo> batch, MeasureOptions options, ExtractSettings settings, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        string list = Path.Combine(folder, "sample.txt");
        await File.WriteAllLinesAsync(list, batch.Select(v => v.Source.Path), cancellationToken).ConfigureAwait(false);
        string output = Path.Combine(folder, "out");
        var extractProgress = new ExtractProgress();
        if (options.Progress is { } survey)
            extractProgress.VideoFinished += _ => survey.SampleFinished();
        var summary = await ExtractPipeline.RunAsync(new ExtractOptions
        {
            Source = list,
            Output = output,
            Settings = settings,
            Extensions = null,
            Workers = options.Workers,
            Decoders = options.Decoders,
            Decoder = options.Decoder,
            Resume = false,
            Force = true,
        }, extractProgress, null, cancellationToken).ConfigureAwait(false);
        var byPath = batch.ToDictionary(v => v.Source.Path, StringComparer.Ordinal);
        var done = new List<Measured>();
        var failed = new List<ExcludedVideo>();
        foreach (var result in summary.Results)
        {
            if (!byPath.TryGetValue(result.Source, out var video))
                continue;
            if (result.Status != VideoStatus.Done || result.Output is null)
            {
                failed.Add(new ExcludedVideo(result.Source, $"failed to extract in the sample: {result.Reason ?? "no reason given"}"));
                continue;
            }
            long rgbBytes = 0, rgbFiles = 0, flowBytes = 0, flowFiles = 0, rgbAllocated = 0, flowAllocated = 0;
            foreach (var file in new DirectoryInfo(Path.Combine(output, result.Output)).EnumerateFiles())
            {
                var kind = RawframeLayout.Parse(file.Name).Kind;
                if (kind == RawframeKind.Rgb)
                {
                    rgbBytes += file.Length;
                    rgbAllocated += Allocation.OfFile(file.Length, options.BlockSize);
                    rgbFiles++;
                }
                else if (kind is RawframeKind.FlowX or RawframeKind.FlowY)
                {
                    flowBytes += file.Length;
                    flowAllocated += Allocation.OfFile(file.Length, options.BlockSize);
                    flowFiles++;
                }
            }
            done.Add(new Measured(video, rgbBytes, rgbFiles, flowBytes, flowFiles, rgbAllocated, flowAllocated));
        }
        var seen = summary.Results.Select(r => r.Source).ToHashSet(StringComparer.Ordinal);
        failed.AddRange(batch.Where(v => !seen.Contains(v.Source.Path)).Select(v => new ExcludedVideo(v.Source.Path, "the extract pipeline did not report it")));
        TryDelete(output);
        return (done, failed, summary.Elapsed.TotalSeconds);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the folder lies under the temp root and is named toolkit-estimate-*; nothing else to do here.
        }
    }
}
