using System.Text.Json;
using Toolkit.Core;
using Toolkit.Estimator.Reporting;
using Toolkit.Estimator.Tests.Support;
using Toolkit.Ingest;

namespace Toolkit.Estimator.Tests;

/// <summary>
/// The bad inputs, end to end through the CLI (console, --json, --markdown) and through measured mode's
/// report-and-replace path: each message names the file and the reason, the excluded count is reported, and no number
/// in a report is NaN, negative or infinite.
/// </summary>
[Trait("Category", "Failure")]
public sealed class BadInputTests : IDisposable
{
    /// <summary>The CLI's environment here: no wrapping of long paths in the console table and lines.</summary>
    private static readonly Dictionary<string, string?> Wide = new() { ["COLUMNS"] = "1000" };

    private readonly TempDirectory _temp = new("estimator-tests-");

    public void Dispose() => _temp.Dispose();

    private string Combine(params string[] parts) => Path.Combine([_temp.Path, .. parts]);

    /// <summary>Two good clips, a clip without a stated duration, and five files that cannot be extracted.</summary>
    private (string Folder, Dictionary<string, string> Bad) MixedFolder()
    {
        string folder = Combine("mixed");
        TestVideos.TestPattern(Path.Combine(folder, "good_a.mp4"), 96, 72, 12);
        TestVideos.TestPattern(Path.Combine(folder, "good_b.mp4"), 96, 72, 20);
        TestVideos.WithoutDuration(Path.Combine(folder, "no_duration.mkv"), 10);
        File.WriteAllBytes(Path.Combine(folder, "zero_bytes.mp4"), []);
        File.WriteAllBytes(Path.Combine(folder, "corrupt.avi"), Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 251)).ToArray());
        TestVideos.Truncated(Path.Combine(folder, "good_b.mp4"), Path.Combine(folder, "truncated.mp4"), 0.1);
        TestVideos.AudioOnly(Path.Combine(folder, "audio_only.mp4"));
        TestVideos.ZeroFrames(Path.Combine(folder, "zero_frames.avi"));
        var bad = new Dictionary<string, string>
        {
            [Path.Combine(folder, "zero_bytes.mp4")] = "empty file (0 bytes)",
            [Path.Combine(folder, "corrupt.avi")] = "not a readable video file",
            [Path.Combine(folder, "truncated.mp4")] = "not a readable video file",
            [Path.Combine(folder, "audio_only.mp4")] = "no video stream",
            [Path.Combine(folder, "zero_frames.avi")] = "no frame could be decoded",
        };
        return (folder, bad);
    }

    private static void AssertExcluded(JsonElement report, Dictionary<string, string> bad)
    {
        var excluded = report.GetProperty("excluded").EnumerateArray()
            .ToDictionary(e => e.GetProperty("path").GetString()!, e => e.GetProperty("reason").GetString()!);
        Assert.Equal(bad.Keys.Order(StringComparer.Ordinal), excluded.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, reason) in bad)
            Assert.Contains(reason, excluded[path], StringComparison.Ordinal);
        Assert.Contains(report.GetProperty("assumptions").EnumerateArray(), a => a.GetString()!.StartsWith($"excluded: {bad.Count} file(s) not counted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cli_UnknownPreset_ExitsCouldNotRunNamingThePresets()
    {
        var r = await ToolkitCli.RunAsync(["estimate", "kinetics401", "--json"], environment: Wide);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("kinetics401: unknown preset and no such folder or list file", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("kinetics400", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("{", r.Stdout, StringComparison.Ordinal); // no half report
    }

    [Theory]
    [InlineData("--block-size", "1000", "is not a file-system block size")]
    [InlineData("--block-size", "256", "is not a file-system block size")]
    [InlineData("--probe-pairs", "0", "is out of range")]
    [InlineData("--probe-pairs", "65", "is out of range")]
    public async Task Cli_BadAllocationOrProbeOption_ExitsCouldNotRunNamingTheOption(string option, string value, string reason)
    {
        string root = Combine("videos");
        TestVideos.TestPattern(Path.Combine(root, "a", "x.mp4"), 64, 48, 8);
        TestVideos.TestPattern(Path.Combine(root, "a", "y.mp4"), 64, 48, 8);

        var r = await ToolkitCli.RunAsync(["estimate", root, "--sample", "2", option, value, "--json"], environment: Wide);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"{option}: {value} {reason}", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("{", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_TargetThatDoesNotExist_ExitsCouldNotRunBeforeMeasuring_InsteadOfReadingAnotherFileSystem()
    {
        string missing = Combine("not-mounted-yet", "data");

        var r = await ToolkitCli.RunAsync(["estimate", "kinetics400", "--target", missing, "--json"], environment: Wide);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"{missing}: no such folder. Create the output folder first (mkdir -p)", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("{", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_FrameRateThatKeepsNoFrame_IsRefusedByTheModelAndNamedPerVideoByTheSurvey()
    {
        string root = Combine("videos");
        TestVideos.TestPattern(Path.Combine(root, "a", "x.mp4"), 64, 48, 50); // 2 s at 25 fps

        var model = await ToolkitCli.RunAsync(["estimate", "kinetics400", "--fps", "1e-9", "--json"], environment: Wide);
        var survey = await ToolkitCli.RunAsync(["estimate", root, "--fps", "1e-9", "--json"], environment: Wide);

        Assert.True(model.ExitCode == 2, model.ToString()); // predicted a frame per video before; extract makes none
        Assert.Contains("--fps: 1E-09 keeps no frame of a typical kinetics400 video", model.Stderr, StringComparison.Ordinal);
        Assert.Contains("or more, or leave it out", model.Stderr, StringComparison.Ordinal);
        Assert.True(survey.ExitCode == 2, survey.ToString());
        Assert.Contains("--fps 1E-09 keeps no frame of this 2 s video", survey.Stderr, StringComparison.Ordinal);
        Assert.Contains("use --fps 0.25 or more", survey.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_EmptyFolder_ExitsCouldNotRunSayingNoVideoFound()
    {
        string empty = Directory.CreateDirectory(Combine("empty")).FullName;

        var model = await ToolkitCli.RunAsync(["estimate", empty], environment: Wide);
        var measured = await ToolkitCli.RunAsync(["estimate", empty, "--sample", "2"], environment: Wide);

        foreach (var r in new[] { model, measured })
        {
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains($"{empty}: no video found", r.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cli_BrokenAndEmptyFiles_ExcludedWithReasonAndCountInEveryReport()
    {
        var (folder, bad) = MixedFolder();
        string json = Combine("plan.json"), md = Combine("plan.md");

        var r = await ToolkitCli.RunAsync(["estimate", folder, "--level", "1", "--task", "both", "--flow", "dis", "--short-side", "64", "--json-out", json, "--markdown", md], environment: Wide);

        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var (path, reason) in bad)
            Assert.Contains($"excluded: {path}: {reason}", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"excluded: {bad.Count} file(s) not counted", r.Stdout, StringComparison.Ordinal);
        string text = File.ReadAllText(json);
        JsonNumbers.AssertFiniteNonNegative(text);
        using var doc = JsonDocument.Parse(text);
        var report = doc.RootElement;
        AssertExcluded(report, bad);
        Assert.Equal(3, report.GetProperty("videos").GetInt32());
        Assert.Equal(12 + 20 + 10, report.GetProperty("formats").GetProperty("rgb").GetProperty("files").GetInt64());
        // The clip with no stated duration counts as frames / rate (0.4 s), not as 0 s: (0.48 + 0.8 + 0.4) / 3.
        Assert.Equal((0.48 + 0.8 + 0.4) / 3, report.GetProperty("per_video").GetProperty("duration_seconds").GetProperty("mean").GetDouble(), 2);
        string markdown = File.ReadAllText(md);
        Assert.Contains($"## Excluded ({bad.Count})", markdown, StringComparison.Ordinal);
        foreach (var path in bad.Keys)
            Assert.Contains($"`{path}`", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_JsonFlag_KeepsStandardOutputPureJson_EvenWithFileReports()
    {
        string md = Combine("flag.md");

        var r = await ToolkitCli.RunAsync(["estimate", "kinetics400", "--json", "--markdown", md], environment: Wide);

        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout); // the "report:" line for the Markdown file goes to stderr
        Assert.Equal("toolkit.estimate/1", doc.RootElement.GetProperty("schema").GetString());
        Assert.Contains($"report: {md}", r.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(md));

        var both = await ToolkitCli.RunAsync(["estimate", "kinetics400", "--json", "--json-out", Combine("x.json")], environment: Wide);
        Assert.True(both.ExitCode == 2, both.ToString());
        Assert.Contains("--json and --json-out: both given", both.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Combine("x.json")));
    }

    [Fact]
    public async Task Cli_MeasuredWithBrokenFiles_ExcludedWithCountAndFiniteNumbers()
    {
        var (folder, bad) = MixedFolder();
        string oneFrame = TestVideos.TestPattern(Path.Combine(folder, "one_frame.mp4"), 96, 72, 1);
        bad[oneFrame] = "only 1 frame decodable: optical flow needs at least 2 frames";

        var r = await ToolkitCli.RunAsync(["estimate", folder, "--level", "1", "--task", "both", "--flow", "dis", "--short-side", "64", "--sample", "2", "--seed", "4", "--json"], environment: Wide);

        Assert.True(r.ExitCode == 0, r.ToString());
        JsonNumbers.AssertFiniteNonNegative(r.Stdout);
        using var doc = JsonDocument.Parse(r.Stdout);
        AssertExcluded(doc.RootElement, bad);
        Assert.Equal(2, doc.RootElement.GetProperty("sample").GetProperty("used").GetInt32());
    }

    [Fact]
    public async Task Cli_SampleLargerThanTheUsableSet_ExitsCouldNotRunWithTheCounts()
    {
        var (folder, bad) = MixedFolder();

        var r = await ToolkitCli.RunAsync(["estimate", folder, "--level", "1", "--sample", "4", "--json"], environment: Wide);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"--sample: 4 is larger than the 3 usable video(s) of {folder} ({bad.Count} other file(s) excluded: first ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Use a sample of 3 or less", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("{", r.Stdout, StringComparison.Ordinal);
    }

    [SetprivFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Cli_UnreadableVideo_ExcludedAsPermissionDenied()
    {
        string folder = Combine("perm");
        TestVideos.TestPattern(Path.Combine(folder, "a.mp4"), 96, 72, 8);
        TestVideos.TestPattern(Path.Combine(folder, "b.mp4"), 96, 72, 9);
        string locked = TestVideos.TestPattern(Path.Combine(folder, "locked.mp4"), 96, 72, 10);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        // The folders are root's, 0755: nobody may list them and read a.mp4 / b.mp4, not locked.mp4.
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101);

        var r = await ToolkitCli.RunAsync(["estimate", folder, "--level", "1", "--sample", "2", "--json"], ToolkitCli.AsNobody, environment: Wide);

        Assert.True(r.ExitCode == 0, r.ToString());
        JsonNumbers.AssertFiniteNonNegative(r.Stdout);
        using var doc = JsonDocument.Parse(r.Stdout);
        AssertExcluded(doc.RootElement, new() { [locked] = "permission denied" });
        Assert.Equal(2, doc.RootElement.GetProperty("videos").GetInt32());
        Assert.Equal(17, doc.RootElement.GetProperty("formats").GetProperty("rgb").GetProperty("files").GetInt64());
    }

    [Fact]
    public async Task Cli_ReportFileThatCannotBe_IsRefusedBeforeTheEstimateRuns()
    {
        var folder = await ToolkitCli.RunAsync(["estimate", "kinetics400", "--json-out", _temp.Path], environment: Wide);
        Assert.True(folder.ExitCode == 2, folder.ToString());
        Assert.Contains($"toolkit: error: --json-out: {_temp.Path} is a folder. give a file name", folder.Stderr, StringComparison.Ordinal);
        Assert.Equal("", folder.Stdout); // refused before any estimate was printed

        string missing = Combine("no-such-folder", "plan.md");
        var parent = await ToolkitCli.RunAsync(["estimate", "kinetics400", "--markdown", missing], environment: Wide);
        Assert.True(parent.ExitCode == 2, parent.ToString());
        Assert.Contains($"toolkit: error: --markdown: the folder of {missing} does not exist", parent.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_CountsEverySurveyedVideo_TheExcluded_AndEverySampleVideoIncludingReplacements()
    {
        var (folder, bad) = MixedFolder();
        var progress = new Toolkit.Estimator.Measurement.SurveyProgress();

        await MeasuredEstimator.RunAsync(new MeasureOptions
        {
            Source = folder, Settings = new ExtractSettings { ShortSide = 64, Level = 1 }, Sample = 2, Seed = 3, TempRoot = _temp.Path, Progress = progress,
        });

        Assert.Equal(3 + bad.Count, progress.Total);
        Assert.Equal(progress.Total, progress.Surveyed);
        Assert.Equal(bad.Count, progress.Excluded);
        Assert.Equal(2, progress.SampleTotal);
        Assert.Equal(2, progress.SampleDone);
    }

    [Fact]
    public async Task RunAsync_SampledVideoBreaksBeforeExtraction_ReportedExcludedAndReplaced()
    {
        string folder = Combine("five");
        for (int i = 0; i < 5; i++)
            TestVideos.TestPattern(Path.Combine(folder, $"clip{i}.mp4"), 96, 72, 8 + i);
        var settings = new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.Dis, ShortSide = 64, Level = 1 };
        var batches = new List<IReadOnlyList<string>>();
        string? broken = null;

        var report = await MeasuredEstimator.RunAsync(new MeasureOptions
        {
            Source = folder, Settings = settings, Sample = 2, Seed = 11, TempRoot = _temp.Path,
            // The first sampled file is overwritten with garbage after the survey counted its frames, as a file being
            // replaced while a dataset is copied would be: extraction of it really fails.
            BeforeSampleExtract = paths =>
            {
                batches.Add(paths);
                if (broken is null)
                {
                    broken = paths[0];
                    File.WriteAllBytes(broken, Enumerable.Repeat((byte)0x5a, 2048).ToArray());
                }
            },
        });

        Assert.Equal(2, batches.Count);                    // the second round is the replacement
        Assert.Single(batches[1]);
        Assert.DoesNotContain(batches[1][0], batches[0]);
        var failed = Assert.Single(report.Sample!.Failed);
        Assert.Equal(broken, failed.Path);
        Assert.StartsWith("failed to extract in the sample: ", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(2, report.Sample.Used);
        Assert.Equal(new[] { batches[0][1], batches[1][0] }.Order(StringComparer.Ordinal), report.Sample.Videos.Order(StringComparer.Ordinal));
        Assert.Contains(report.Excluded, e => e.Path == broken);
        Assert.Equal(4, report.Videos);
        int brokenFrames = 8 + int.Parse(Path.GetFileNameWithoutExtension(broken!)[^1..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(8 + 9 + 10 + 11 + 12 - brokenFrames, report.Formats[FormatNames.Rgb].Files);
        Assert.Contains(report.Assumptions, a => a.Contains("1 sampled video(s) failed to extract and were replaced by the next in the seeded order", StringComparison.Ordinal));
        Assert.Contains(report.Assumptions, a => a.StartsWith("excluded: 1 file(s) not counted", StringComparison.Ordinal));
        JsonNumbers.AssertFiniteNonNegative(EstimateWriters.ToJson(report));
        Assert.Empty(Directory.GetDirectories(_temp.Path, "toolkit-estimate-*"));
    }

    [Fact]
    public async Task RunAsync_WholeSetWithAVideoBreakingBeforeExtraction_ExactOverTheRest()
    {
        string folder = Combine("three");
        for (int i = 0; i < 3; i++)
            TestVideos.TestPattern(Path.Combine(folder, $"clip{i}.mp4"), 96, 72, 8 + i);
        string broken = Path.Combine(folder, "clip1.mp4");
        var settings = new ExtractSettings { Task = ExtractTask.Rgb, ShortSide = 64, Level = 1 };

        var report = await MeasuredEstimator.RunAsync(new MeasureOptions
        {
            Source = folder, Settings = settings, Sample = 3, TempRoot = _temp.Path,
            BeforeSampleExtract = _ => File.WriteAllBytes(broken, []),
        });

        Assert.Equal(2, report.Videos);
        Assert.Equal(2, report.Sample!.Used);
        Assert.Equal(broken, Assert.Single(report.Sample.Failed).Path);
        var rgb = report.Formats[FormatNames.Rgb];
        Assert.Equal(8 + 10, rgb.Files);
        Assert.Equal(rgb.Bytes, rgb.BytesCi95![0]);        // every remaining video measured: exact
        Assert.Equal(rgb.Bytes, rgb.BytesCi95[1]);
        Assert.Contains(report.Assumptions, a => a.Contains("no other video was left to replace them", StringComparison.Ordinal));
        JsonNumbers.AssertFiniteNonNegative(EstimateWriters.ToJson(report));
    }

    [Fact]
    public async Task RunAsync_EverySampledVideoBreaks_ErrorNamesTheFileAndReason()
    {
        string folder = Combine("two");
        TestVideos.TestPattern(Path.Combine(folder, "clip0.mp4"), 96, 72, 8);
        TestVideos.TestPattern(Path.Combine(folder, "clip1.mp4"), 96, 72, 9);

        var error = await Assert.ThrowsAsync<ToolkitError>(() => MeasuredEstimator.RunAsync(new MeasureOptions
        {
            Source = folder, Settings = new ExtractSettings { ShortSide = 64, Level = 1 }, Sample = 2, TempRoot = _temp.Path,
            BeforeSampleExtract = paths => { foreach (string p in paths) File.WriteAllBytes(p, []); },
        }));

        Assert.Contains("only 0 of the 2 usable video(s) could be extracted", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{folder}/clip", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed to extract in the sample: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_temp.Path, "toolkit-estimate-*"));
    }
}
